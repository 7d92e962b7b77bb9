using Nono.Proxy.Upstream;
using Nono.Proxy.Routing;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// Handles a request that belongs to a credential route, whether it arrived in reverse form
/// (<c>/prefix/...</c>), as an absolute-form forward request, or inside an intercepted TLS tunnel:
/// credential readiness, phantom token, endpoint rules, then the upstream exchange.
/// </summary>
internal static class RouteForwarder
{
    /// <param name="path">Normalized path relative to the route's upstream (what follows the prefix).</param>
    /// <param name="auditPath">Path as the client addressed it, for the audit event.</param>
    public static async ValueTask<bool> HandleAsync(RequestContext ctx, RouteState route, string path, string? query, string auditPath, CancellationToken ct)
    {
        var runtime = ctx.Runtime;
        var upstream = route.Upstream;
        var host = upstream.IdnHost;
        var port = upstream.Port;

        PhantomToken.Applied applied;
        if (runtime.Config.RequireAuth || route.NeedsCredential)
        {
            if (!PhantomToken.TryApply(route, runtime.Token, ctx.Head, path, query, out applied))
                return await ctx.RespondAsync(401, $"missing or wrong phantom token for route {route.Prefix}", host, port, auditPath, route.Prefix, ct).ConfigureAwait(false);
        }
        else
        {
            applied = new PhantomToken.Applied(RequestRewrite.None, path, query);
        }

        // Whatever the inject mode replaced, no other copy of the token may ride along in the URL.
        if (runtime.Token.AppearsIn(applied.Path) || (applied.Query is { } q && runtime.Token.AppearsIn(q)))
            return await TokenInUrl.RefuseAsync(ctx, host, port, route.Prefix, ct).ConfigureAwait(false);

        if (!route.CredentialReady)
        {
            var why = $"credential for route {route.Prefix} is not available ({route.SourceLabel}: {route.CredentialError ?? "not loaded"})";
            return await ctx.RespondAsync(503, why, host, port, auditPath, route.Prefix, ct).ConfigureAwait(false);
        }

        if (!EndpointMatcher.IsAllowed(route.Config.EndpointRules, ctx.Head.Method, path))
            return await ctx.RespondAsync(403, $"{ctx.Head.Method} {path} is not an allowed endpoint of route {route.Prefix}", host, port, auditPath, route.Prefix, ct).ConfigureAwait(false);

        if (UpstreamTarget.TryCreate(upstream, route.UpstreamBasePath, applied.Path, applied.Query) is not { } target)
            return await ctx.RespondAsync(400, $"request path cannot be forwarded unchanged to route {route.Prefix}", host, port, auditPath, route.Prefix, ct).ConfigureAwait(false);
        return await HttpExchange.ForwardAsync(ctx, target, route.Invoker, applied.Rewrite, new AuditTarget(host, port, auditPath, route.Prefix), ct).ConfigureAwait(false);
    }
}
