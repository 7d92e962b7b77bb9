using System.Net;

namespace Nono.Proxy.Filter;

/// <summary>
/// The list part of the host filter, after the hard deny list: the configured denied hosts
/// (<c>deny_domain</c>) win over everything, then a host the session took back, then the session's
/// own allows, then the configured allowlist. A refusal the session's allowlist could lift says how.
/// </summary>
internal sealed partial class HostFilter
{
    public const string NotInAllowlist = "host not in allowlist";

    private FilterDecision Listed(string host, IPAddress[] addresses, bool via)
    {
        if (_denied.Match(host) is { } denied)
            return FilterDecision.Deny(host, $"denied by the profile's deny_domain entry {denied}");
        if (_session is not null && _session.TookBack(host))
            return Allowable(host, "taken back for this session with nono deny");
        if (_session is not null && _session.Allows(host))
            return new FilterDecision(true, host, "allowed", addresses, via) { Rule = "allowed during this session (nono allow)" };
        if (!_restricted)
            return new FilterDecision(true, host, "allowed", addresses, via) { Rule = "no allowlist: every host but the deny list" };
        if (_allowed.Match(host) is { } pattern)
            return new FilterDecision(true, host, "allowed", addresses, via) { Rule = _routeHosts.Contains(host) ? "a credential route's upstream" : $"allowlist entry {pattern}" };
        return Allowable(host, NotInAllowlist);
    }

    /// <summary>A refusal that <c>nono allow</c> could lift: the reason says how when the session can change.</summary>
    private FilterDecision Allowable(string host, string reason) =>
        FilterDecision.Deny(host, _session?.HowToAllow is { } how ? $"{reason}; {how(host)}" : reason) with { Allowable = true };

    /// <summary>Records a refusal with the session (for `nono ps` and the first-refusal notice) and returns it.</summary>
    private FilterDecision Counted(FilterDecision decision)
    {
        if (!decision.Allowed && !decision.ResolutionFailed && decision.Host.Length > 0)
            _session?.RecordRefusal(decision.Host, decision.Reason, decision.Allowable);
        return decision;
    }
}
