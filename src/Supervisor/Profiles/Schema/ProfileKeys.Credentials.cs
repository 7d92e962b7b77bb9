namespace Nono.Supervisor.Profiles;

/// <summary>The settings of one <c>network.custom_credentials</c> route: all part of the route's value.</summary>
internal static partial class ProfileKeys
{
    private static IEnumerable<ProfileKey> CredentialKeys =>
    [
        new("network.custom_credentials.*", E, "one credential route, named by its key") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.upstream", E, "https URL the route forwards to") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.credential_key", E, "where the secret comes from (keyring name, env://, file://, cmd://, op://)") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.inject_mode", E, "header, url_path, query_param or basic_auth") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.inject_header", E, "header that carries the secret") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.credential_format", E, "format of the header value ({} is the secret)") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.path_pattern", E, "url_path mode: the path part to replace") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.path_replacement", E, "url_path mode: the replacement ({} is the secret)") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.query_param_name", E, "query_param mode: the parameter name") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.env_var", E, "variable that holds the phantom token in the program") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.endpoint_rules", E, "method + path rules: other requests on the route are refused") { Held = KeyHolding.InParentField },
        new("network.custom_credentials.*.auth", R, "OAuth2 token exchange is not implemented"),
        new("network.custom_credentials.*.aws_auth", R, "AWS request signing is not implemented"),
        new("network.custom_credentials.*.proxy", R, "per-route proxy injection settings are not implemented"),
        new("network.custom_credentials.*.tls_ca", E, "PEM CA file the proxy trusts for this upstream, besides the system roots (path; ~ and $HOME expand; null: none)")
        {
            Held = KeyHolding.InParentField,
        },
        new("network.custom_credentials.*.tls_client_cert", E, "PEM client certificate the proxy presents to the upstream (mutual TLS); needs tls_client_key")
        {
            Held = KeyHolding.InParentField,
        },
        new("network.custom_credentials.*.tls_client_key", E, "PEM private key of tls_client_cert, read by the proxy outside the sandbox; refused when the sandbox could read it")
        {
            Held = KeyHolding.InParentField,
        },
        new("network.custom_credentials.*.rate_limit", R, "rate limits are not implemented"),
        new("network.custom_credentials.*.endpoint_policy", R, "approval policies are not implemented; use endpoint_rules"),
        new("network.custom_credentials.*.spiffe", R, "SPIFFE identities are not implemented"),
    ];
}
