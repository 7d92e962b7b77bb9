using System.Collections.Concurrent;

namespace Nono.Proxy;

/// <summary>
/// Counters and gauges of one proxy process, kept across reloads. Every label value comes from a fixed set
/// (audit mode, decision, a refusal's enum name, a configured route prefix, a reload outcome): nothing a
/// client sends (host names, paths, headers) and nothing a credential holds ever becomes a label.
/// </summary>
internal sealed class ProxyMetrics
{
    private readonly ConcurrentDictionary<(AuditMode Mode, AuditDecision Decision, string Reason), StrongBox> _requests = new();
    private long _connectionsOpen;
    private long _connectionsTotal;
    private long _tunnelsOpen;
    private long _receivedClosed;
    private long _sentClosed;
    private long _reloadsOk;
    private long _reloadsFailed;
    private int _lastReloadFailed;
    private long _generation = 1;

    private sealed class StrongBox
    {
        public long Value;
    }

    public void RecordDecision(NetworkAuditEvent e)
    {
        if (e.Mode == AuditMode.Reload)
            return; // counted by the reload metrics, not as a request
        var reason = e.ReasonCode ?? (e.Decision == AuditDecision.Allow ? "allowed" : "other");
        var box = _requests.GetOrAdd((e.Mode, e.Decision, reason), _ => new StrongBox());
        Interlocked.Increment(ref box.Value);
    }

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpen);
        Interlocked.Increment(ref _connectionsTotal);
    }

    /// <summary>A connection ended; <paramref name="received"/> and <paramref name="sent"/> are its client-side byte counts (0 when unknown).</summary>
    public void ConnectionClosed(long received, long sent)
    {
        Interlocked.Decrement(ref _connectionsOpen);
        Interlocked.Add(ref _receivedClosed, received);
        Interlocked.Add(ref _sentClosed, sent);
    }

    public void TunnelOpened() => Interlocked.Increment(ref _tunnelsOpen);

    public void TunnelClosed() => Interlocked.Decrement(ref _tunnelsOpen);

    public void ReloadSucceeded()
    {
        Interlocked.Increment(ref _reloadsOk);
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _lastReloadFailed, 0);
    }

    public void ReloadFailed()
    {
        Interlocked.Increment(ref _reloadsFailed);
        Volatile.Write(ref _lastReloadFailed, 1);
    }

    internal MetricsSnapshot Snapshot(long openReceived, long openSent) => new(
        [.. _requests.Select(kv => (kv.Key.Mode, kv.Key.Decision, kv.Key.Reason, Interlocked.Read(ref kv.Value.Value)))],
        Interlocked.Read(ref _connectionsOpen),
        Interlocked.Read(ref _connectionsTotal),
        Interlocked.Read(ref _tunnelsOpen),
        Interlocked.Read(ref _receivedClosed) + openReceived,
        Interlocked.Read(ref _sentClosed) + openSent,
        Interlocked.Read(ref _reloadsOk),
        Interlocked.Read(ref _reloadsFailed),
        Volatile.Read(ref _lastReloadFailed) == 0,
        Interlocked.Read(ref _generation));
}

internal sealed record MetricsSnapshot(
    IReadOnlyList<(AuditMode Mode, AuditDecision Decision, string Reason, long Count)> Requests,
    long ConnectionsOpen,
    long ConnectionsTotal,
    long TunnelsOpen,
    long BytesFromClients,
    long BytesToClients,
    long ReloadsOk,
    long ReloadsFailed,
    bool LastReloadOk,
    long Generation);
