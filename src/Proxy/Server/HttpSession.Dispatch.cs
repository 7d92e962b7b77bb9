using Nono.Proxy.Http;
using Nono.Proxy.Pipeline;
using Nono.Proxy.Routing;
using Nono.Proxy.Upstream;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Server;

internal sealed partial class HttpSession
{
    private static readonly HeaderField ProxyChallenge = new("Proxy-Authenticate", "Basic realm=\"nono\"");

    /// <summary>Handles one request; true when the connection may carry another.</summary>
    private async ValueTask<bool> DispatchAsync(RequestHead head, CancellationToken ct)
    {
        var target = head.Target;
        if (head.IsConnect)
        {
            var ctx = new RequestContext(runtime, client, head, AuditMode.Connect);
            if (intercept is not null || client.Socket is null)
                return await ctx.RespondAsync(405, "CONNECT inside an intercepted tunnel is not supported", target, 0, null, null, close: true, ct).ConfigureAwait(false);

            // After a 407 the connection stays open: clients retry the CONNECT on it with credentials.
            if (!runtime.IsAuthorized(head))
                return await RefuseAuthAsync(ctx, target, ct).ConfigureAwait(false);
            if (runtime.Token.AppearsIn(target))
                return await TokenInUrl.RefuseAsync(ctx, "", 0, null, ct).ConfigureAwait(false);
            await ConnectHandler.HandleAsync(ctx, ct).ConfigureAwait(false);
            return false;
        }

        if (target.StartsWith('/'))
        {
            return intercept is not null
                ? await InterceptedRequest.HandleAsync(new RequestContext(runtime, client, head, AuditMode.Intercept), intercept, ct).ConfigureAwait(false)
                : await ReverseAsync(head, ct).ConfigureAwait(false);
        }

        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var ctx = new RequestContext(runtime, client, head, intercept is null ? AuditMode.Forward : AuditMode.Intercept);
            if (intercept is null && !runtime.IsAuthorized(head))
                return await RefuseAuthAsync(ctx, target, ct).ConfigureAwait(false);
            return await ForwardAsync(ctx, ct).ConfigureAwait(false);
        }

        var bad = new RequestContext(runtime, client, head, AuditMode.Forward);
        return await bad.RespondAsync(400, "unsupported request target form", "", 0, null, null, close: true, ct).ConfigureAwait(false);
    }

    private static async ValueTask<bool> RefuseAuthAsync(RequestContext ctx, string target, CancellationToken ct)
    {
        var (host, port) = Authority.TryParse(target, out var h, out var p) ? (h, p)
            : Uri.TryCreate(target, UriKind.Absolute, out var uri) ? (uri.Host, uri.Port) : ("", 0);
        return await ctx.RespondAsync(407, "proxy authentication required (session token missing or wrong)", host, port, null, null, ct, ProxyChallenge).ConfigureAwait(false);
    }

    /// <summary>Absolute-form request (<c>GET http://host/path</c>): a route when the host is a route's upstream, else plain forwarding.</summary>
    private async ValueTask<bool> ForwardAsync(RequestContext ctx, CancellationToken ct)
    {
        if (!Uri.TryCreate(ctx.Head.Target, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
            return await ctx.RespondAsync(400, "malformed absolute request target", "", 0, null, null, ct).ConfigureAwait(false);

        var name = runtime.Filter.CheckName(uri.Host, uri.Port);
        var path = uri.AbsolutePath;
        if (!name.Allowed)
            return await ctx.RespondAsync(403, name.Reason, name.Host, uri.Port, path, null, ct).ConfigureAwait(false);
        if (name.ViaExternalProxy)
            ctx.Mode = AuditMode.External;

        if (runtime.Routes.MatchHost(uri.Scheme, uri.Host, uri.Port) is { } route)
        {
            // The client's own path, not Uri's canonical form of it: the route checks must see what was sent.
            var (rawPath, query) = InterceptedRequest.SplitTarget(RequestTarget.OriginForm(ctx.Head.Target));
            return await InterceptedRequest.RouteByHostAsync(ctx, route, rawPath, query, ct).ConfigureAwait(false);
        }

        if (runtime.Token.AppearsIn(ctx.Head.Target))
            return await TokenInUrl.RefuseAsync(ctx, name.Host, uri.Port, null, ct).ConfigureAwait(false);

        // Plain HTTP goes over the proxy's own HTTP/1.1 pool; https:// targets (rare in absolute form) need TLS upstream.
        if (uri.Scheme == Uri.UriSchemeHttp)
            return await Http1Forwarder.ForwardAsync(ctx, uri, name.Host, ct).ConfigureAwait(false);
        return await HttpExchange.ForwardAsync(ctx, uri, runtime.Http.Shared, RequestRewrite.None, new AuditTarget(name.Host, uri.Port, path, null), ct).ConfigureAwait(false);
    }

    /// <summary>Origin-form request to the proxy itself: <c>/prefix/...</c> of a credential route.</summary>
    private async ValueTask<bool> ReverseAsync(RequestHead head, CancellationToken ct)
    {
        var ctx = new RequestContext(runtime, client, head, AuditMode.Reverse);
        var (rawPath, query) = InterceptedRequest.SplitTarget(head.Target);
        if (!PathNormalizer.TryNormalize(rawPath, out var path, out var error))
            return await ctx.RespondAsync(400, error!, "", 0, rawPath, null, ct).ConfigureAwait(false);
        if (runtime.Routes.MatchPrefix(path, out var rest) is not { } route)
            return await ctx.RespondAsync(404, $"no route for {path}", "", 0, path, null, ct).ConfigureAwait(false);
        return await RouteForwarder.HandleAsync(ctx, route, rest.Length == 0 ? "" : rest, query, path, ct).ConfigureAwait(false);
    }
}
