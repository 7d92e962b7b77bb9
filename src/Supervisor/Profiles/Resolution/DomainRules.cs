using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// <c>network.deny_domain</c> and the <c>allow_domain</c> entries with endpoints, as the proxy takes
/// them (<see cref="ProxyConfig.DeniedHosts"/>, <see cref="ProxyConfig.HostEndpoints"/>). The proxy
/// enforces both; what it would refuse at start is refused here first, at the entry that causes it.
/// </summary>
internal static class DomainRules
{
    /// <summary>The deny patterns; a deny that covers a credential route's upstream is an error, not a silently dead route.</summary>
    public static IReadOnlyList<string> Denied(NetworkSpec network, IReadOnlyList<RouteConfig> routes)
    {
        foreach (var deny in network.DenyDomain)
        {
            if (routes.FirstOrDefault(route => HostPatternRule.Matches(deny.Value, UpstreamHost(route))) is { } route)
            {
                throw ProfileException.At(deny.Where,
                    $"network.deny_domain: '{deny.Value}' denies {UpstreamHost(route)}, the upstream of the credential route {route.Prefix}; remove the deny or the credential");
            }
        }

        return [.. network.DenyDomain.Select(deny => deny.Value).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// One entry per domain: a domain given in several entries (or by several profiles along
    /// <c>extends</c>) gets the rules of all of them.
    /// </summary>
    public static IReadOnlyList<HostEndpointConfig> Endpoints(NetworkSpec network, IReadOnlyList<RouteConfig> routes)
    {
        var result = new List<HostEndpointConfig>();
        foreach (var group in network.DomainEndpoints.GroupBy(entry => entry.Domain.Value, StringComparer.Ordinal))
        {
            var first = group.First().Domain;
            var rules = group.SelectMany(entry => entry.Endpoints).Distinct().ToList();
            if (rules.Count > 0 && routes.FirstOrDefault(route => HostPatternRule.Matches(first.Value, UpstreamHost(route))) is { } route)
            {
                throw ProfileException.At(first.Where,
                    $"network.allow_domain: '{first.Value}' is also the upstream of the credential route {route.Prefix}; give these endpoints in that credential's endpoint_rules");
            }

            result.Add(new HostEndpointConfig { Host = first.Value, Rules = rules });
        }

        return result;
    }

    /// <summary>True when some entry has rules, which the proxy can only apply to https hosts by intercepting.</summary>
    public static SourceLocation? NeedsInterception(NetworkSpec network) =>
        network.DomainEndpoints.FirstOrDefault(entry => entry.Endpoints.Count > 0)?.Domain.Where;

    private static string UpstreamHost(RouteConfig route) => new Uri(route.Upstream).IdnHost;
}
