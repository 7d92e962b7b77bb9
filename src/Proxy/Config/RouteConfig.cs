namespace Nono.Proxy;

/// <summary>
/// A credential route: requests for <c>http://proxy/&lt;Prefix&gt;/...</c> (reverse form), and requests to
/// <see cref="Upstream"/>'s host through the proxy, are forwarded to <see cref="Upstream"/> with the
/// real credential in place of the phantom token.
/// </summary>
public sealed record RouteConfig
{
    /// <summary>Path prefix, one or more whole segments, e.g. <c>/openai</c>.</summary>
    public required string Prefix { get; init; }

    /// <summary>Absolute http(s) URL the route forwards to, e.g. <c>https://api.openai.com</c>.</summary>
    public required string Upstream { get; init; }

    /// <summary>
    /// Where the real credential comes from: <c>env://VAR</c>, <c>file:///path</c>, <c>keyring://service/account</c>,
    /// <c>cmd://command args</c>, <c>op://vault/item/field</c>. A bare name is a keyring account. Null: no credential.
    /// </summary>
    public string? CredentialKey { get; init; }

    /// <summary>
    /// References tried in order when <see cref="CredentialKey"/> does not load (the built-in services fall
    /// back from the keyring to their conventional variable in the proxy's own environment). The route's
    /// diagnostics name the one that loaded.
    /// </summary>
    public IReadOnlyList<string> FallbackCredentialKeys { get; init; } = [];

    public InjectMode InjectMode { get; init; } = InjectMode.Header;

    public string InjectHeader { get; init; } = "Authorization";

    /// <summary>Format of the header value; <c>{}</c> stands for the credential.</summary>
    public string CredentialFormat { get; init; } = "Bearer {}";

    /// <summary>UrlPath mode: pattern in the incoming path, with <c>{}</c> where the phantom token stands.</summary>
    public string? PathPattern { get; init; }

    /// <summary>UrlPath mode: replacement in the outgoing path, with <c>{}</c> for the real credential.</summary>
    public string? PathReplacement { get; init; }

    /// <summary>QueryParam mode: the parameter name.</summary>
    public string? QueryParamName { get; init; }

    /// <summary>Environment variable that carries the phantom token to the child (e.g. <c>OPENAI_API_KEY</c>).</summary>
    public string? EnvVar { get; init; }

    /// <summary>Environment variable for the route's base URL (e.g. <c>OPENAI_BASE_URL</c>); derived from the prefix when null.</summary>
    public string? BaseUrlEnvVar { get; init; }

    /// <summary>When non-empty, only these endpoints are allowed; anything else is answered 403.</summary>
    public IReadOnlyList<EndpointRule> EndpointRules { get; init; } = [];

    /// <summary>PEM file of an extra CA trusted for this upstream only (private upstreams).</summary>
    public string? UpstreamCaPath { get; init; }

    /// <summary>PEM certificate + key presented to the upstream (mTLS).</summary>
    public string? ClientCertificatePath { get; init; }

    public string? ClientKeyPath { get; init; }
}
