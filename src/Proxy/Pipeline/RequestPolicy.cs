using Nono.Proxy.Http;
using Nono.Proxy.Routing;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// The policy stage: every check a non-CONNECT request passes before anything is sent upstream (proxy
/// authentication, target form, host filter by name, token in the URL, route matching and the route's
/// own checks), as one synchronous decision. The request pipeline turns a <see cref="Denial"/> into the
/// proxy's response and audit event, and a <see cref="ForwardPlan"/> into the upstream exchange.
/// </summary>
internal static partial class RequestPolicy
{
    /// <param name="intercept">The tunnel's origin when the request came through an intercepted tunnel.</param>
    public static PolicyDecision Decide(ProxyRuntime runtime, RequestHead head, InterceptTarget? intercept)
    {
        var target = head.Target;
        if (target.StartsWith('/'))
            return intercept is not null ? Intercepted(runtime, head, intercept) : Reverse(runtime, head);

        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (intercept is null && !runtime.IsAuthorized(head))
                return ProxyAuthRequired(target);
            return Absolute(runtime, head);
        }

        return Denial.Of(Refusal.UnsupportedTarget, "unsupported request target form");
    }

    /// <summary>The 407 for a request without the session token; the audit event names the host it was for.</summary>
    public static Denial ProxyAuthRequired(string target)
    {
        var (host, port) = Filter.Authority.TryParse(target, out var h, out var p) ? (h, p)
            : Uri.TryCreate(target, UriKind.Absolute, out var uri) ? (uri.Host, uri.Port) : ("", 0);
        return Denial.Of(Refusal.ProxyAuthRequired, "proxy authentication required (session token missing or wrong)", host, port);
    }

    public static Denial TokenInUrl(string host, int port, string? route) =>
        Denial.Of(Refusal.TokenInUrl, Pipeline.TokenInUrl.Reason, host, port, null, route);

    /// <summary>Absolute-form request (<c>GET http://host/path</c>): a route when the host is a route's upstream, else plain forwarding.</summary>
    private static PolicyDecision Absolute(ProxyRuntime runtime, RequestHead head)
    {
        if (!Uri.TryCreate(head.Target, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
            return Denial.Of(Refusal.MalformedTarget, "malformed absolute request target");

        var name = runtime.Filter.CheckName(uri.Host, uri.Port);
        var path = uri.AbsolutePath;
        if (!name.Allowed)
            return Denial.Of(Refusal.HostDenied, name.Reason, name.Host, uri.Port, path);

        var decision = Classify(runtime, head, uri, name.Host, path);
        return name.ViaExternalProxy ? decision with { Mode = AuditMode.External } : decision;
    }

    private static PolicyDecision Classify(ProxyRuntime runtime, RequestHead head, Uri uri, string host, string path)
    {
        if (runtime.Routes.MatchHost(uri.Scheme, uri.Host, uri.Port) is { } route)
        {
            // The client's own path, not Uri's canonical form of it: the route checks must see what was sent.
            var (rawPath, query) = SplitTarget(RequestTarget.OriginForm(head.Target));
            return RouteByHost(runtime, head, route, rawPath, query);
        }

        if (runtime.Token.AppearsIn(head.Target))
            return TokenInUrl(host, uri.Port, null);

        // Plain HTTP goes over the proxy's own HTTP/1.1 pool; https:// targets (rare in absolute form) need TLS upstream.
        var audit = new AuditTarget(host, uri.Port, path, null);
        return uri.Scheme == Uri.UriSchemeHttp
            ? new ForwardPlan(uri, UpstreamTransport.Http1Pool, null, RequestRewrite.None, audit, host)
            : new ForwardPlan(uri, UpstreamTransport.Invoker, runtime.Http.Shared, RequestRewrite.None, audit, host);
    }

    /// <summary>Origin-form request inside an intercepted tunnel: the tunnel's host is the origin.</summary>
    private static PolicyDecision Intercepted(ProxyRuntime runtime, RequestHead head, InterceptTarget target)
    {
        if (runtime.Routes.MatchHost(Uri.UriSchemeHttps, target.Host, target.Port) is { } route)
        {
            var (rawPath, query) = SplitTarget(head.Target);
            return RouteByHost(runtime, head, route, rawPath, query);
        }

        if (runtime.Token.AppearsIn(head.Target))
            return TokenInUrl(target.Host, target.Port, null);

        var authority = target.Host.Contains(':', StringComparison.Ordinal) ? $"[{target.Host}]:{target.Port}" : $"{target.Host}:{target.Port}";
        var uri = new Uri($"https://{authority}{head.Target}");
        var audit = new AuditTarget(target.Host, target.Port, uri.AbsolutePath, null);
        return new ForwardPlan(uri, UpstreamTransport.Invoker, runtime.Http.Shared, RequestRewrite.None, audit, target.Host);
    }

    /// <summary>Origin-form request to the proxy itself: <c>/prefix/...</c> of a credential route.</summary>
    private static PolicyDecision Reverse(ProxyRuntime runtime, RequestHead head)
    {
        var (rawPath, query) = SplitTarget(head.Target);
        if (!PathNormalizer.TryNormalize(rawPath, out var path, out var error))
            return Denial.Of(Refusal.MalformedPath, error!, path: rawPath);
        if (runtime.Routes.MatchPrefix(path, out var rest) is not { } route)
            return Denial.Of(Refusal.NoRoute, $"no route for {path}", path: path);
        return Route(runtime, head, route, rest, query, path);
    }

    public static (string Path, string? Query) SplitTarget(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (target, null) : (target[..q], target[(q + 1)..]);
    }
}
