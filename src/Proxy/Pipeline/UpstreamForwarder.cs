namespace Nono.Proxy.Pipeline;

/// <summary>
/// Sends an allowed request upstream as its <see cref="ForwardPlan"/> says and relays the response:
/// plain <c>http://</c> forward requests over the proxy's own HTTP/1.1 pool, everything else (routes,
/// intercepted requests, <c>https://</c> absolute-form) through a pooled invoker. Both write the request
/// head through <see cref="Http.OutboundHeaders"/>, the one place the outbound header and token rule lives,
/// and both report failures as a <see cref="Refusal"/>.
/// </summary>
internal static class UpstreamForwarder
{
    public static ValueTask<bool> ForwardAsync(RequestContext ctx, ForwardPlan plan, CancellationToken ct) =>
        plan.Transport == UpstreamTransport.Http1Pool
            ? Http1Forwarder.ForwardAsync(ctx, plan, ct)
            : HttpExchange.ForwardAsync(ctx, plan, ct);
}
