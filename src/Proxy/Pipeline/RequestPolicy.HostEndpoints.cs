using Nono.Proxy.Http;
using Nono.Proxy.Routing;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// Requests to a host with endpoint rules of its own (<see cref="ProxyConfig.HostEndpoints"/>), in
/// absolute form or inside an intercepted tunnel: the path is normalised as for a route, checked
/// against the host's rules, and forwarded exactly as checked.
/// </summary>
internal static partial class RequestPolicy
{
    /// <param name="origin">Scheme and authority the request goes to.</param>
    /// <param name="rawTarget">The client's origin-form target (path and query), as sent.</param>
    private static PolicyDecision ByHostRules(
        ProxyRuntime runtime, RequestHead head, HostEndpointConfig entry, Uri origin, string host, string rawTarget)
    {
        var port = origin.Port;
        var (rawPath, query) = SplitTarget(rawTarget);
        if (!PathNormalizer.TryNormalize(rawPath, out var path, out var error))
            return Denial.Of(Refusal.MalformedPath, error!, host, port, rawPath);

        if (runtime.Token.AppearsIn(rawTarget))
            return TokenInUrl(host, port, null);

        if (!EndpointMatcher.IsAllowed(entry.Rules, head.Method, path))
            return Denial.Of(Refusal.EndpointNotAllowed, $"{head.Method} {path} is not an allowed endpoint of {entry.Host}", host, port, path);

        if (UpstreamTarget.TryCreate(origin, "", path, query) is not { } target)
            return Denial.Of(Refusal.PathNotForwardable, $"request path cannot be forwarded unchanged to {host}", host, port, path);

        var audit = new AuditTarget(host, port, path, null);
        return origin.Scheme == Uri.UriSchemeHttp
            ? new ForwardPlan(target, UpstreamTransport.Http1Pool, null, RequestRewrite.None, audit, host)
            : new ForwardPlan(target, UpstreamTransport.Invoker, runtime.Http.Shared, RequestRewrite.None, audit, host);
    }
}
