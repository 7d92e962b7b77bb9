using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>How an allowed request leaves the proxy.</summary>
internal enum UpstreamTransport
{
    /// <summary>The proxy's own HTTP/1.1 pool (plain <c>http://</c> forward requests).</summary>
    Http1Pool,

    /// <summary>A pooled <see cref="HttpMessageInvoker"/>: a route's, or the shared one for TLS upstreams.</summary>
    Invoker,
}

/// <summary>
/// An allowed request as the policy stage leaves it: where it goes, over what, with which header
/// rewrite (credential injection), and what its audit event records.
/// </summary>
/// <param name="FilteredHost">The host name as the host filter normalised it (the pool's key and the connect target).</param>
internal sealed record ForwardPlan(
    Uri Target, UpstreamTransport Transport, HttpMessageInvoker? Invoker, RequestRewrite Rewrite, AuditTarget Audit, string FilteredHost);

/// <summary>What the policy stage decided: exactly one of <see cref="Denial"/> and <see cref="Plan"/> is set.</summary>
/// <param name="Mode">The audit mode, when the decision changes it (a host reached through the external proxy).</param>
internal readonly record struct PolicyDecision(Denial? Denial, ForwardPlan? Plan, AuditMode? Mode)
{
    public static implicit operator PolicyDecision(Denial denial) => new(denial, null, null);

    public static implicit operator PolicyDecision(ForwardPlan plan) => new(null, plan, null);
}
