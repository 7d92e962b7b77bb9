namespace Nono.Proxy;

/// <summary>
/// Bounded ring buffer of audit events: when full, the oldest event is dropped (and counted), so a
/// chatty client cannot grow the supervisor's memory.
/// </summary>
internal sealed class AuditLog(int capacity, SessionToken token, ProxyMetrics? metrics = null)
{
    private readonly NetworkAuditEvent[] _ring = new NetworkAuditEvent[Math.Max(1, capacity)];
    private readonly Lock _lock = new();
    private int _start;
    private int _count;

    public long Dropped { get; private set; }

    public void Add(NetworkAuditEvent e)
    {
        e = Scrub(e);
        metrics?.RecordDecision(e);
        lock (_lock)
        {
            if (_count == _ring.Length)
            {
                _ring[_start] = e;
                _start = (_start + 1) % _ring.Length;
                Dropped++;
                return;
            }

            _ring[(_start + _count) % _ring.Length] = e;
            _count++;
        }
    }

    public IReadOnlyList<NetworkAuditEvent> Drain()
    {
        lock (_lock)
        {
            var result = new NetworkAuditEvent[_count];
            for (var i = 0; i < _count; i++)
            {
                result[i] = _ring[(_start + i) % _ring.Length];
                _ring[(_start + i) % _ring.Length] = null!;
            }

            _start = 0;
            _count = 0;
            return result;
        }
    }

    /// <summary>Last line of defence: a token that reached a field (a phantom token in a URL path) is masked.</summary>
    private NetworkAuditEvent Scrub(NetworkAuditEvent e)
    {
        var path = e.Path is { } p ? StripQuery(p) : null;
        return e with
        {
            TimestampUnixMs = e.TimestampUnixMs == 0 ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : e.TimestampUnixMs,
            Target = Mask(e.Target),
            Path = path is null ? null : Mask(path),
            Reason = e.Reason is null ? null : Mask(e.Reason),
            Method = e.Method is null ? null : Mask(e.Method),
        };
    }

    private static string StripQuery(string path)
    {
        var q = path.IndexOfAny(['?', '#']);
        return q < 0 ? path : path[..q];
    }

    private string Mask(string value) =>
        value.Contains(token.Value, StringComparison.OrdinalIgnoreCase) ? value.Replace(token.Value, "[token]", StringComparison.OrdinalIgnoreCase) : value;
}
