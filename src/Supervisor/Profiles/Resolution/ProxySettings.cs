using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>The proxy half of a session, ready to become a <see cref="ProxyConfig"/>.</summary>
internal sealed record ProxySettings
{
    /// <summary>Exact hosts and <c>*.suffix</c> patterns, sorted; groups expanded, route upstreams included.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>True only for unrestricted network (<c>--allow-net</c>).</summary>
    public bool AllowAllHosts { get; init; }

    /// <summary><c>deny_domain</c>: refused even when allowed, wildcards, <see cref="AllowAllHosts"/> and hosts allowed later with <c>nono allow</c> included.</summary>
    public IReadOnlyList<string> DeniedHosts { get; init; } = [];

    /// <summary><c>allow_domain</c> entries with endpoints.</summary>
    public IReadOnlyList<HostEndpointConfig> HostEndpoints { get; init; } = [];

    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    public ExternalProxyConfig? ExternalProxy { get; init; }

    public TlsInterceptConfig? TlsIntercept { get; init; }

    public IReadOnlyList<RateLimitRule> RateLimits { get; init; } = [];

    /// <summary>
    /// The proxy configuration for these settings. Callers add what belongs to their command with
    /// <c>with</c>: <c>nono run</c> its listen sockets, <c>nono proxy</c> its bind address, port and
    /// authentication. Unless every host is allowed, the allowlist is exhaustive
    /// (<see cref="ProxyConfig.DenyUnlistedHosts"/>): an empty one then means "no host", not "every host".
    /// </summary>
    public ProxyConfig ToProxyConfig() => new()
    {
        AllowedHosts = AllowAllHosts ? [] : AllowedHosts,
        DenyUnlistedHosts = !AllowAllHosts,
        DeniedHosts = DeniedHosts,
        HostEndpoints = HostEndpoints,
        Routes = Routes,
        ExternalProxy = ExternalProxy,
        TlsIntercept = TlsIntercept,
        RateLimits = RateLimits,
    };
}
