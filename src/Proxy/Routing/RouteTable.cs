using Nono.Proxy.Credentials;
using Nono.Proxy.Filter;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Routing;

/// <summary>The routes of a running proxy, matched by path prefix (reverse form) or upstream host (forward and intercepted).</summary>
internal sealed class RouteTable : IDisposable
{
    private readonly List<RouteState> _routes;

    private RouteTable(List<RouteState> routes) => _routes = routes;

    public IReadOnlyList<RouteState> Routes => _routes;

    public static async ValueTask<RouteTable> LoadAsync(ProxyConfig config, HostFilter filter, UpstreamHttp http, CancellationToken ct)
    {
        var routes = new List<RouteState>();
        foreach (var route in config.Routes)
        {
            var upstream = new Uri(route.Upstream);

            // Not awaited: start-up does not wait for DNS; the diagnostics read the outcome when shown.
            var upstreamCheck = CheckUpstreamAsync(filter, upstream);
            CredentialLoadResult? credential = null;
            if (route.CredentialKey is { } key)
            {
                try
                {
                    credential = await CredentialChain.LoadFirstAsync([key, .. route.FallbackCredentialKeys], ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failing credential source disables its route, not the proxy (the diagnostics show it).
                    credential = new CredentialLoadResult(null, key, $"loading failed: {e.GetType().Name}");
                }
            }

            routes.Add(new RouteState(route, upstream, http.ForRoute(route), credential, upstreamCheck));
        }

        // Longest prefix first, so /api/v2 wins over /api.
        routes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        return new RouteTable(routes);
    }

    private static async Task<FilterDecision?> CheckUpstreamAsync(HostFilter filter, Uri upstream)
    {
        try
        {
            return await filter.CheckAsync(upstream.IdnHost, upstream.Port, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A resolver failure says nothing about the route's configuration; requests will report it.
            return null;
        }
    }

    /// <summary>The route whose prefix is a whole-segment prefix of <paramref name="path"/>; <paramref name="rest"/> is what follows it.</summary>
    public RouteState? MatchPrefix(string path, out string rest)
    {
        foreach (var route in _routes)
        {
            if (path.StartsWith(route.Prefix, StringComparison.Ordinal)
                && (path.Length == route.Prefix.Length || path[route.Prefix.Length] == '/'))
            {
                rest = path[route.Prefix.Length..];
                return route;
            }
        }

        rest = path;
        return null;
    }

    /// <summary>The route whose upstream is <paramref name="host"/>:<paramref name="port"/> over <paramref name="scheme"/>.</summary>
    public RouteState? MatchHost(string scheme, string host, int port)
    {
        var normalized = HostName.Normalize(host);
        foreach (var route in _routes)
        {
            if (route.Upstream.Scheme == scheme && route.Upstream.Port == port && HostName.Normalize(route.Upstream.IdnHost) == normalized)
                return route;
        }

        return null;
    }

    public RouteState? Find(string prefix) => _routes.Find(r => r.Prefix == prefix);

    public void Dispose()
    {
        foreach (var route in _routes)
            route.Dispose();
    }
}
