namespace Nono.Supervisor.Profiles;

/// <summary>The <c>network</c> section (custom credential routes are in <c>ProfileKeys.Credentials.cs</c>).</summary>
internal static partial class ProfileKeys
{
    private static IEnumerable<ProfileKey> NetworkKeys =>
    [
        new("network", E, "network access through nono's proxy"),
        new("network.block", E, "true: no network at all. false: not blocked; hosts still pass the proxy's allowlist (nono 0.74 would give unrestricted network; use --allow-net for that)")
        {
            Field = SpecFields.NetworkBool(network => network.Block, (network, value) => network with { Block = value }),
            Flag = new(FlagNames.BlockNet, (flags, spec) => flags.BlockNetwork
                ? spec with { Network = spec.Network with { Block = new Located<bool>(true, SourceLocation.Flag(FlagNames.BlockNet)) } }
                : spec),
        },
        new("network.allow_domain", E, "hosts (name, *.suffix) and network group names the proxy lets through; an object {domain, endpoints} allows the host and, with endpoints, only the listed method + path pairs (TLS interception turns on for it)")
        {
            Field = new PairField(
                SpecFields.NetworkStrings(network => network.AllowDomain, (network, value) => network with { AllowDomain = value }),
                new ListField<DomainEndpointsSpec>(
                    spec => spec.Network.DomainEndpoints,
                    (spec, value) => spec with { Network = spec.Network with { DomainEndpoints = value } },
                    entry => entry.Domain.Value + " " + string.Join(" ", entry.Endpoints),
                    (_, _, _) => { }),
                ProfileJsonWriter.WriteAllowDomain),
            Flag = new(FlagNames.AllowDomain, (flags, spec) => spec with
            {
                Network = spec.Network with { AllowDomain = FlagLayer.Checked(flags.AllowDomains, FlagNames.AllowDomain, entry => _ = NetworkGroups.Expand(entry).Count()) },
            }),
        },
        new("network.proxy_allow", E, "alias of allow_domain") { AliasOf = ["network.allow_domain"] },
        new("network.allow_proxy", E, "alias of allow_domain") { AliasOf = ["network.allow_domain"] },
        new("network.deny_domain", E, "hosts (name, *.suffix) the proxy refuses even when allowed, inside an allowed wildcard too; on every way out (HTTP, CONNECT, SOCKS5)")
        {
            Field = SpecFields.NetworkStrings(network => network.DenyDomain, (network, value) => network with { DenyDomain = value }),
        },
        new("network.open_port", E, "host loopback TCP ports the program may connect to and listen on") { AliasOf = ["network.connect_port", "network.listen_port"] },
        new("network.port_allow", E, "alias of open_port") { AliasOf = ["network.connect_port", "network.listen_port"] },
        new("network.allow_port", E, "alias of open_port") { AliasOf = ["network.connect_port", "network.listen_port"] },
        new("network.connect_port", E, "host loopback TCP ports the program may connect to")
        {
            Field = SpecFields.NetworkPorts(network => network.ConnectPorts, (network, value) => network with { ConnectPorts = value }),
        },
        new("network.listen_port", E, "TCP ports the program may listen on")
        {
            Field = SpecFields.NetworkPorts(network => network.BindPorts, (network, value) => network with { BindPorts = value }),
        },
        new("network.open_port_range", E, "inclusive [from, to] ranges, as open_port") { AliasOf = ["network.connect_port", "network.listen_port"] },
        new("network.listen_port_range", E, "inclusive [from, to] ranges, as listen_port") { AliasOf = ["network.listen_port"] },
        new("network.no_proxy", I, "the program reaches no host directly, so there is nothing to bypass the proxy for"),
        new("network.allow_http2", E, "HTTP/2 to upstream servers on intercepted connections")
        {
            Field = SpecFields.NetworkBool(network => network.AllowHttp2, (network, value) => network with { AllowHttp2 = value }),
        },
        new("network.network_profile", E, "network group names (string, list or null)")
        {
            Field = SpecFields.NetworkStrings(network => network.NetworkProfile, (network, value) => network with { NetworkProfile = value }),

            // --network-profile names the groups to use instead of the profile's, as a scalar would.
            Flag = new(
                FlagNames.NetworkProfile,
                (flags, spec) => spec with { Network = spec.Network with { NetworkProfile = FlagLayer.Checked(flags.NetworkProfiles, FlagNames.NetworkProfile, NetworkGroups.RequireGroup) } },
                Replaces: true),
        },
        new("network.credentials", E, "services to activate: built-in ones, or custom_credentials defined and listed here")
        {
            Field = SpecFields.NetworkStrings(network => network.Credentials, (network, value) => network with { Credentials = value }),
            Flag = new(FlagNames.Credential, (flags, spec) => spec with
            {
                Network = spec.Network with
                {
                    Credentials = FlagLayer.Checked(flags.Credentials, FlagNames.Credential, entry => ProfileParser.RequireServiceName(entry.Value, entry.Where, FlagNames.Credential)),
                },
            }),
        },
        new("network.proxy_credentials", E, "alias of credentials") { AliasOf = ["network.credentials"] },
        new("network.custom_credentials", E, "credential routes; each is active only when network.credentials (or --credential) lists its name")
        {
            Field = new MapField<CustomCredentialSpec>(
                spec => spec.Network.CustomCredentials,
                (spec, value) => spec with { Network = spec.Network with { CustomCredentials = value } },
                credential => credential.Name,
                ProfileJsonWriter.WriteCredentials),
        },
        new("network.upstream_proxy", E, "host:port of a proxy that outbound connections go through")
        {
            Field = SpecFields.Text(spec => spec.Network.UpstreamProxy, (spec, value) => spec with { Network = spec.Network with { UpstreamProxy = value } }),
            Flag = new(FlagNames.UpstreamProxy, (flags, spec) => flags.UpstreamProxy is { } proxy
                ? spec with { Network = spec.Network with { UpstreamProxy = FlagLayer.UpstreamProxy(proxy) } }
                : spec),
        },
        new("network.external_proxy", E, "alias of upstream_proxy") { AliasOf = ["network.upstream_proxy"] },
        new("network.upstream_bypass", E, "hosts reached without the upstream proxy")
        {
            Field = SpecFields.NetworkStrings(network => network.UpstreamBypass, (network, value) => network with { UpstreamBypass = value }),
            Flag = new(FlagNames.UpstreamBypass, (flags, spec) => spec with { Network = spec.Network with { UpstreamBypass = FlagLayer.HostPatterns(flags.UpstreamBypass, FlagNames.UpstreamBypass) } }),
        },
        new("network.external_proxy_bypass", E, "alias of upstream_bypass") { AliasOf = ["network.upstream_bypass"] },
        new("network.rate_limits", E, "ours: request budgets, a list of {host | route, requests_per_second, burst}; over budget is 429 with Retry-After")
        {
            Field = new MapField<RateLimitSpec>(
                spec => spec.Network.RateLimits,
                (spec, value) => spec with { Network = spec.Network with { RateLimits = value } },
                limit => limit.Host is { } host ? "host:" + host : "route:" + limit.Route,
                ProfileJsonWriter.WriteRateLimits),
        },
        new("network.tls_intercept", E, "TLS interception: true/false or an object"),
        new("network.tls_intercept.enabled", E, "interception on or off (default: on exactly when a credential route exists)")
        {
            Field = SpecFields.TlsBool(tls => tls.Enabled, (tls, value) => tls with { Enabled = value }),
            Flag = new(FlagNames.TlsIntercept, (flags, spec) => flags.TlsIntercept is { } enabled
                ? spec with { Network = spec.Network with { TlsIntercept = spec.Network.TlsIntercept with { Enabled = new Located<bool>(enabled, SourceLocation.Flag(FlagNames.TlsIntercept)) } } }
                : spec),
        },
        new("network.tls_intercept.intercept_all", E, "intercept every allowed host, not only credential routes")
        {
            Field = SpecFields.TlsBool(tls => tls.InterceptAll, (tls, value) => tls with { InterceptAll = value }),
        },
        new("network.tls_intercept.ca_validity_days", E, "validity of the session CA in days (1-365)")
        {
            Field = new ScalarField<Located<int>>(
                spec => spec.Network.TlsIntercept.CaValidityDays,
                (spec, value) => spec with { Network = spec.Network with { TlsIntercept = spec.Network.TlsIntercept with { CaValidityDays = value } } },
                (json, name, value) => json.WriteNumber(name, value.Value)),
            Flag = new(FlagNames.ProxyCaValidity, (flags, spec) => flags.ProxyCaValidityDays is { } days
                ? spec with { Network = spec.Network with { TlsIntercept = spec.Network.TlsIntercept with { CaValidityDays = FlagLayer.ValidityDays(days) } } }
                : spec),
        },
        new("network.tls_intercept.name_constraints", E, "limit the session CA to the intercepted names")
        {
            Field = SpecFields.TlsBool(tls => tls.NameConstraints, (tls, value) => tls with { NameConstraints = value }),
        },
        new("network.tls_intercept.ca_lifecycle", E, "session only (a CA per session); trusted is refused") { Held = KeyHolding.CheckedOnly },
        new("network.tls_intercept.ca_validity", E, "duration (s, m, h, d; bare numbers are seconds), rounded up to whole days") { AliasOf = ["network.tls_intercept.ca_validity_days"] },
        new("network.tls_intercept.leaf_validity", I, "leaf certificates live as long as the session CA"),
        new("network.tls_intercept.ca_env_vars", I, "the trust bundle is named in the usual variables (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, ...)"),
    ];
}
