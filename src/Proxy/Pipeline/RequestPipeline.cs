using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// The one path of a non-CONNECT request, whichever front it came in on (an HTTP/1.1 connection, the
/// decrypted side of an intercepted tunnel, an HTTP/2 stream): the policy stage decides, then either the
/// refusal is answered and audited or the upstream forwarder sends the request.
/// </summary>
internal static class RequestPipeline
{
    private static readonly HeaderField ProxyChallenge = new("Proxy-Authenticate", "Basic realm=\"nono\"");

    /// <summary>Handles one request; true when the client connection may carry another.</summary>
    public static async ValueTask<bool> HandleAsync(RequestContext ctx, InterceptTarget? intercept, CancellationToken ct)
    {
        var decision = RequestPolicy.Decide(ctx.Runtime, ctx.Head, intercept);
        if (decision.Mode is { } mode)
            ctx.Mode = mode;
        if (decision.Denial is { } denial)
            return await RefuseAsync(ctx, denial, ct).ConfigureAwait(false);
        var plan = decision.Plan!;
        if (!ctx.Runtime.RateLimits.TryAcquire(plan.FilteredHost, plan.Audit.Route, out var retryAfter, out var limited))
            return await RefuseAsync(ctx, RateLimit.Denial(limited, retryAfter, plan.Audit.Host, plan.Audit.Port, plan.Audit.Route, plan.Audit.Path), ct, retryAfterSeconds: retryAfter).ConfigureAwait(false);
        return await UpstreamForwarder.ForwardAsync(ctx, plan, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers a refusal; a 407 carries the challenge and leaves the connection open for the retry with
    /// credentials, a 429 says when to retry.
    /// </summary>
    public static ValueTask<bool> RefuseAsync(RequestContext ctx, Denial denial, CancellationToken ct, bool close = false, int retryAfterSeconds = 0) =>
        denial.Reason switch
        {
            Refusal.ProxyAuthRequired => ctx.RefuseAsync(denial, ct, close, ProxyChallenge),
            Refusal.RateLimited => ctx.RefuseAsync(denial, ct, close, new HeaderField("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            _ => ctx.RefuseAsync(denial, ct, close),
        };
}
