using System.Net;

namespace Nono.Proxy.Filter;

/// <summary>
/// The outcome of checking one target. When allowed, <see cref="Addresses"/> are the only addresses
/// the proxy may connect to (already checked), so the name is never looked up a second time.
/// </summary>
internal sealed record FilterDecision(bool Allowed, string Host, string Reason, IPAddress[] Addresses, bool ViaExternalProxy)
{
    /// <summary>Refused because the name could not be resolved (a gateway error, not a policy decision).</summary>
    public bool ResolutionFailed { get; init; }

    /// <summary>What decided an allowed target: the allowlist pattern that matched, the session's own allow, or "no allowlist".</summary>
    public string? Rule { get; init; }

    /// <summary>Refused by the allowlist alone, which the session's live allowlist could lift.</summary>
    public bool Allowable { get; init; }

    public static FilterDecision Deny(string host, string reason) => new(false, host, reason, [], false);
}

/// <summary>Raised inside an upstream connect (e.g. SocketsHttpHandler's ConnectCallback) when the filter refuses the target.</summary>
internal sealed class HostDeniedException(FilterDecision decision)
    : Exception($"connection to {decision.Host} refused: {decision.Reason}")
{
    public FilterDecision Decision { get; } = decision;
}
