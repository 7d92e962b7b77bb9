using Nono.Proxy.Routing;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// The one handler for origin-form requests inside an intercepted TLS tunnel, whether they arrived over
/// HTTP/1.1 (<see cref="HttpSession"/>) or as HTTP/2 streams: the tunnel's host is the origin; requests to
/// a route's upstream get the route's handling (phantom token, credential, endpoint rules), others are
/// forwarded unchanged. Both go upstream over TLS through the pooled client, whose connect step runs the
/// host filter.
/// </summary>
internal static class InterceptedRequest
{
    public static async ValueTask<bool> HandleAsync(RequestContext ctx, InterceptTarget target, CancellationToken ct)
    {
        var head = ctx.Head;
        if (ctx.Runtime.Routes.MatchHost(Uri.UriSchemeHttps, target.Host, target.Port) is { } route)
        {
            var (rawPath, query) = SplitTarget(head.Target);
            return await RouteByHostAsync(ctx, route, rawPath, query, ct).ConfigureAwait(false);
        }

        if (ctx.Runtime.Token.AppearsIn(head.Target))
            return await TokenInUrl.RefuseAsync(ctx, target.Host, target.Port, null, ct).ConfigureAwait(false);

        var authority = target.Host.Contains(':', StringComparison.Ordinal) ? $"[{target.Host}]:{target.Port}" : $"{target.Host}:{target.Port}";
        var uri = new Uri($"https://{authority}{head.Target}");
        return await HttpExchange.ForwardAsync(ctx, uri, ctx.Runtime.Http.Shared, RequestRewrite.None, new AuditTarget(target.Host, target.Port, uri.AbsolutePath, null), ct).ConfigureAwait(false);
    }

    /// <summary>A request addressed to a route's upstream host (intercepted, or absolute-form): checked against the route's base path.</summary>
    public static async ValueTask<bool> RouteByHostAsync(RequestContext ctx, RouteState route, string rawPath, string? query, CancellationToken ct)
    {
        if (!PathNormalizer.TryNormalize(rawPath, out var path, out var error))
            return await ctx.RespondAsync(400, error!, route.Upstream.IdnHost, route.Upstream.Port, rawPath, route.Prefix, ct).ConfigureAwait(false);

        var basePath = route.UpstreamBasePath;
        if (basePath.Length > 0 && !(path == basePath || path.StartsWith(basePath + "/", StringComparison.Ordinal)))
            return await ctx.RespondAsync(403, $"path outside route {route.Prefix}", route.Upstream.IdnHost, route.Upstream.Port, path, route.Prefix, ct).ConfigureAwait(false);

        return await RouteForwarder.HandleAsync(ctx, route, path[basePath.Length..], query, path, ct).ConfigureAwait(false);
    }

    public static (string Path, string? Query) SplitTarget(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (target, null) : (target[..q], target[(q + 1)..]);
    }
}
