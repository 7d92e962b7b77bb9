namespace Nono.Proxy.Pipeline;

/// <summary>
/// A reload builds a new runtime for new connections; the one it replaces is retired: it stops keeping
/// idle connections alive (their clients reconnect and get the new configuration) while requests in
/// flight and established tunnels run on to their end, and it is disposed (credentials zeroed) when its
/// last connection closes.
/// </summary>
internal sealed partial class ProxyRuntime
{
    private int _connections;
    private int _retired;
    private readonly Lock _lifetime = new();
    private int _released;

    /// <summary>What outlives one configuration: the audit log and the metrics.</summary>
    internal sealed record Shared(AuditLog Audit, ProxyMetrics Metrics);

    public ProxyMetrics Metrics { get; }

    public RateLimiter RateLimits { get; }

    public Shared SharedState => new(Audit, Metrics);

    public bool Retired => Volatile.Read(ref _retired) != 0;

    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>A connection starts on this runtime.</summary>
    public void Enter() => Interlocked.Increment(ref _connections);

    /// <summary>A connection on this runtime ended.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _connections) == 0 && Retired)
            Release();
    }

    /// <summary>Replaced by a newer configuration: see the type's summary.</summary>
    public void Retire()
    {
        Volatile.Write(ref _retired, 1);
        BeginShutdown();
        if (Volatile.Read(ref _connections) == 0)
            Release();
    }

    /// <summary>Disposes once, whoever gets here first (the last connection, or the proxy's shutdown).</summary>
    public void Release()
    {
        lock (_lifetime)
        {
            if (_released != 0)
                return;
            _released = 1;
        }

        Dispose();
    }

    /// <summary>Aborts the connections still on this runtime, unless it has already been released (its last one ended).</summary>
    public void AbortUnlessReleased()
    {
        lock (_lifetime)
        {
            if (_released == 0)
                Abort();
        }
    }
}
