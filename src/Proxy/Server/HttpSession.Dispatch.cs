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
        if (!head.IsConnect)
        {
            var mode = intercept is not null ? AuditMode.Intercept : head.Target.StartsWith('/') ? AuditMode.Reverse : AuditMode.Forward;
            return await RequestPipeline.HandleAsync(new RequestContext(runtime, client, head, mode), intercept, ct).ConfigureAwait(false);
        }

        var target = head.Target;
        var ctx = new RequestContext(runtime, client, head, AuditMode.Connect);
        if (intercept is not null || client.Socket is null)
            return await ctx.RefuseAsync(Denial.Of(Refusal.ConnectInsideTunnel, "CONNECT inside an intercepted tunnel is not supported", target), ct).ConfigureAwait(false);

        // After a 407 the connection stays open: clients retry the CONNECT on it with credentials.
        if (!runtime.IsAuthorized(head))
            return await RequestPipeline.RefuseAsync(ctx, RequestPolicy.ProxyAuthRequired(target), ct).ConfigureAwait(false);
        if (runtime.Token.AppearsIn(target))
            return await ctx.RefuseAsync(RequestPolicy.TokenInUrl("", 0, null), ct).ConfigureAwait(false);
        await ConnectHandler.HandleAsync(ctx, ct).ConfigureAwait(false);
        return false;
    }
}
