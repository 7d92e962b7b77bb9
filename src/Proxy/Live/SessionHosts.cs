using System.Collections.Immutable;
using Nono.Proxy.Filter;

namespace Nono.Proxy;

/// <summary>What a change to <see cref="SessionHosts"/> did.</summary>
public enum SessionHostChange
{
    /// <summary>The host is now allowed (or refused) where it was not before.</summary>
    Changed,

    /// <summary>The host already had that answer; nothing changed.</summary>
    Unchanged,
}

/// <summary>A host the proxy refused during the session, with why (the first reason), and whether <c>nono allow</c> could open it.</summary>
public sealed record RefusedHost(string Host, string Reason, bool Allowable);

/// <summary>
/// The part of a running proxy's allowlist that can change while the program runs: hosts allowed
/// and taken back from outside (<c>nono allow</c> / <c>nono deny</c>), and the hosts refused so far.
/// The host filter consults it after the hard deny list and the configured denied hosts, so neither
/// can be opened from here; a host taken back is refused even when the configured allowlist names it.
/// Only exact host names and <c>*.suffix</c> patterns that pass <see cref="HostPatternRule"/> get in.
/// Thread-safe: the proxy reads immutable snapshots, changes replace them under a lock.
/// </summary>
public sealed class SessionHosts
{
    private const int MaxRefusedHosts = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RefusedHost> _refused = new(StringComparer.Ordinal);
    private readonly List<string> _refusedOrder = [];
    private volatile HostPatterns _allowedPatterns = new([]);
    private ImmutableSortedSet<string> _allowed = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    private volatile ImmutableHashSet<string> _takenBack = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Called once per host, the first time it is refused (on a proxy thread; keep it short).</summary>
    public Action<RefusedHost>? FirstRefusal { get; init; }

    /// <summary>The sentence added to an allowlist refusal (the 403 body and the audit reason), or null.</summary>
    public Func<string, string>? HowToAllow { get; init; }

    /// <summary>The hosts and patterns allowed during the session, sorted.</summary>
    public IReadOnlyList<string> Allowed
    {
        get
        {
            lock (_lock)
                return [.. _allowed];
        }
    }

    /// <summary>The hosts refused so far, in the order they were first refused.</summary>
    public IReadOnlyList<RefusedHost> Refused
    {
        get
        {
            lock (_lock)
                return [.. _refusedOrder.Select(host => _refused[host])];
        }
    }

    /// <summary>Why <paramref name="host"/> cannot be allowed at run time, or null with its normalised form.</summary>
    public static string? Problem(string host, out string normalized)
    {
        normalized = "";
        var lowered = HostName.Normalize(host.Trim());
        if (DenyList.IsMetadataName(lowered) || DenyList.IsMetadataName(lowered.TrimStart('*', '.')))
            return $"'{host}' is a cloud metadata host, which the proxy always refuses; it cannot be allowed";

        var check = HostPatternRule.Check(host);
        // localhost is the one single-label name worth allowing (a local development server).
        var name = check.Error is null ? check.Normalized!
            : check.SingleLabel && HostName.Normalize(host) == "localhost" ? "localhost"
            : null;
        if (name is null)
            return check.Error;

        if (IpLiteral.Classify(name, out var address) == IpLiteral.Kind.Address && DenyList.Check(address!) is { } why)
            return $"'{host}' is a {why}, which the proxy always refuses (cloud metadata services listen there); it cannot be allowed";
        normalized = name;
        return null;
    }

    /// <summary>Allows a host (or <c>*.suffix</c>) for the rest of the session; throws <see cref="ArgumentException"/> with the reason for bad input.</summary>
    public SessionHostChange Allow(string host)
    {
        var name = Valid(host);
        lock (_lock)
        {
            var wasTakenBack = _takenBack.Contains(name);
            _takenBack = _takenBack.Remove(name);
            if (_allowed.Contains(name))
                return wasTakenBack ? SessionHostChange.Changed : SessionHostChange.Unchanged;
            _allowed = _allowed.Add(name);
            _allowedPatterns = new HostPatterns(_allowed);
            return SessionHostChange.Changed;
        }
    }

    /// <summary>
    /// Takes a host back: removes it from the session's allowed hosts and refuses it from now on,
    /// even where the configured allowlist names it. New connections and requests are refused; a
    /// tunnel opened before stays open until it closes.
    /// </summary>
    public SessionHostChange Deny(string host)
    {
        var name = Valid(host);
        lock (_lock)
        {
            var wasAllowed = _allowed.Contains(name);
            _allowed = _allowed.Remove(name);
            _allowedPatterns = new HostPatterns(_allowed);
            var already = _takenBack.Contains(name);
            _takenBack = _takenBack.Add(name);
            return wasAllowed || !already ? SessionHostChange.Changed : SessionHostChange.Unchanged;
        }
    }

    /// <summary>True when the session allowed <paramref name="normalized"/> (a name from <see cref="HostName.Normalize"/>).</summary>
    internal bool Allows(string normalized) => _allowedPatterns.Matches(normalized);

    /// <summary>True when the session took <paramref name="normalized"/> back with <see cref="Deny"/>.</summary>
    internal bool TookBack(string normalized) => _takenBack.Contains(normalized);

    /// <summary>Whether the session allowed loopback itself (<c>localhost</c> or a loopback literal).</summary>
    internal bool AllowsLoopback() => Allows("localhost") || Allows("127.0.0.1");

    /// <summary>Counts a refusal; the first one of a host calls <see cref="FirstRefusal"/>.</summary>
    internal void RecordRefusal(string host, string reason, bool allowable)
    {
        RefusedHost? first = null;
        lock (_lock)
        {
            if (!_refused.ContainsKey(host) && _refused.Count < MaxRefusedHosts)
            {
                first = new RefusedHost(host, reason, allowable);
                _refused[host] = first;
                _refusedOrder.Add(host);
            }
        }

        if (first is not null)
            FirstRefusal?.Invoke(first);
    }

    private static string Valid(string host) =>
        Problem(host, out var normalized) is { } problem ? throw new ArgumentException(problem, nameof(host)) : normalized;
}
