using Nono.Proxy.Http;
using Nono.Proxy.Routing;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// The checks of a request that belongs to a credential route, whether it arrived in reverse form
/// (<c>/prefix/...</c>), as an absolute-form forward request, or inside an intercepted TLS tunnel:
/// path, credential readiness, phantom token, token left in the URL, endpoint rules.
/// </summary>
internal static partial class RequestPolicy
{
    /// <summary>A request addressed to a route's upstream host (intercepted, or absolute-form): checked against the route's base path.</summary>
    private static PolicyDecision RouteByHost(ProxyRuntime runtime, RequestHead head, RouteState route, string rawPath, string? query)
    {
        var host = route.Upstream.IdnHost;
        var port = route.Upstream.Port;
        if (!PathNormalizer.TryNormalize(rawPath, out var path, out var error))
            return Denial.Of(Refusal.MalformedPath, error!, host, port, rawPath, route.Prefix);

        var basePath = route.UpstreamBasePath;
        if (basePath.Length > 0 && !(path == basePath || path.StartsWith(basePath + "/", StringComparison.Ordinal)))
            return Denial.Of(Refusal.PathOutsideRoute, $"path outside route {route.Prefix}", host, port, path, route.Prefix);

        return Route(runtime, head, route, path[basePath.Length..], query, path);
    }

    /// <param name="path">Normalized path relative to the route's upstream (what follows the prefix).</param>
    /// <param name="auditPath">Path as the client addressed it, for the audit event.</param>
    private static PolicyDecision Route(ProxyRuntime runtime, RequestHead head, RouteState route, string path, string? query, string auditPath)
    {
        var host = route.Upstream.IdnHost;
        var port = route.Upstream.Port;

        PhantomToken.Applied applied;
        if (runtime.Config.RequireAuth || route.NeedsCredential)
        {
            if (!PhantomToken.TryApply(route, runtime.Token, head, path, query, out applied))
                return Denial.Of(Refusal.PhantomTokenMissing, $"missing or wrong phantom token for route {route.Prefix}", host, port, auditPath, route.Prefix);
        }
        else
        {
            applied = new PhantomToken.Applied(RequestRewrite.None, path, query);
        }

        // Whatever the inject mode replaced, no other copy of the token may ride along in the URL.
        if (runtime.Token.AppearsIn(applied.Path) || (applied.Query is { } q && runtime.Token.AppearsIn(q)))
            return TokenInUrl(host, port, route.Prefix);

        if (!route.CredentialReady)
        {
            var why = $"credential for route {route.Prefix} is not available ({route.SourceLabel}: {route.CredentialError ?? "not loaded"})";
            return Denial.Of(Refusal.CredentialUnavailable, why, host, port, auditPath, route.Prefix);
        }

        if (!EndpointMatcher.IsAllowed(route.Config.EndpointRules, head.Method, path))
            return Denial.Of(Refusal.EndpointNotAllowed, $"{head.Method} {path} is not an allowed endpoint of route {route.Prefix}", host, port, auditPath, route.Prefix);

        if (UpstreamTarget.TryCreate(route.Upstream, route.UpstreamBasePath, applied.Path, applied.Query) is not { } target)
            return Denial.Of(Refusal.PathNotForwardable, $"request path cannot be forwarded unchanged to route {route.Prefix}", host, port, auditPath, route.Prefix);

        return new ForwardPlan(target, UpstreamTransport.Invoker, route.Invoker, applied.Rewrite, new AuditTarget(host, port, auditPath, route.Prefix), host);
    }
}
