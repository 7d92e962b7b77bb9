using Nono.Proxy.Filter;

namespace Nono.Proxy;

/// <summary>The host lists: <see cref="ProxyConfig.DeniedHosts"/> and <see cref="ProxyConfig.HostEndpoints"/>.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateHosts(ProxyConfig config)
    {
        foreach (var pattern in config.DeniedHosts)
        {
            if (HostPatternRule.Check(pattern).Error is { } error)
                throw new ProxyConfigException($"denied host: {error}");
        }

        var denied = new HostPatterns(config.DeniedHosts);
        foreach (var route in config.Routes)
        {
            var host = HostName.Normalize(new Uri(route.Upstream).IdnHost);
            if (denied.Matches(host))
                throw new ProxyConfigException($"route {route.Prefix}: its upstream host {host} is in the deny list; remove the route or the deny entry");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in config.HostEndpoints)
        {
            if (HostPatternRule.Check(entry.Host).Error is { } error)
                throw new ProxyConfigException($"host endpoints: {error}");
            var host = HostName.Normalize(entry.Host);
            if (!seen.Add(host))
                throw new ProxyConfigException($"host endpoints: {host} is listed twice; give all its endpoints in one entry");
            if (entry.Rules.Count == 0)
                continue;

            foreach (var rule in entry.Rules)
                ValidateEndpointRule($"host {host}", rule);
            if (config.TlsIntercept is null)
                throw new ProxyConfigException($"host {host}: endpoint rules need TLS interception to see requests inside https tunnels; enable TLS interception");

            // Requests to a route's upstream are checked against the route's own rules; two rule sets for one host would be ambiguous.
            var single = new HostPatterns([host]);
            if (config.Routes.FirstOrDefault(r => single.Matches(HostName.Normalize(new Uri(r.Upstream).IdnHost))) is { } clash)
                throw new ProxyConfigException($"host {host}: it is also the upstream of route {clash.Prefix}; give the endpoint rules on the route instead");
        }
    }

    private static void ValidateEndpointRule(string owner, EndpointRule rule)
    {
        if ((RouteFieldRules.Method(rule.Method) ?? RouteFieldRules.PathGlob(rule.PathGlob)) is { } problem)
            throw new ProxyConfigException($"{owner}: endpoint rule '{rule.Method} {rule.PathGlob}': {problem}");
    }
}
