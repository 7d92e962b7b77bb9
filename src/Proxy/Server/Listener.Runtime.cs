using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Server;

internal sealed partial class Listener
{
    private readonly Lock _bytesLock = new();

    /// <summary>The runtime new connections get.</summary>
    public ProxyRuntime Current
    {
        get
        {
            lock (_swapLock)
                return _runtime;
        }
    }

    /// <summary>Open connections now (accepted and not yet ended).</summary>
    public int OpenConnections => _open.Count;

    /// <summary>
    /// Makes <paramref name="next"/> the runtime of new connections and retires the one it replaces
    /// (connections already running keep it until they end).
    /// </summary>
    public void Swap(ProxyRuntime next)
    {
        ProxyRuntime old;
        lock (_swapLock)
        {
            old = _runtime;
            _runtime = next;
        }

        old.Retire();
    }

    /// <summary>The current runtime, counted as in use by one more connection (under the lock, so a swap cannot retire it in between).</summary>
    private ProxyRuntime Enter()
    {
        lock (_swapLock)
        {
            _runtime.Enter();
            return _runtime;
        }
    }

    /// <summary>
    /// Client-side TCP payload bytes of the connections open now (received from clients, sent to them), and
    /// the metrics snapshot taken with them: under the lock a closing connection takes to move its bytes from
    /// "open" to "closed", so no connection is counted twice or not at all and the counters never go back.
    /// </summary>
    public MetricsSnapshot MetricsSnapshot()
    {
        lock (_bytesLock)
        {
            long received = 0, sent = 0;
            foreach (var (socket, _) in _open.Values)
            {
                if (TcpCounters.TryRead(socket, out var r, out var s))
                {
                    received += r;
                    sent += s;
                }
            }

            return Current.Metrics.Snapshot(received, sent);
        }
    }

    /// <summary>Called by the connection just before its socket is closed: its final byte counts become "closed" bytes.</summary>
    private void Closing(long id, System.Net.Sockets.Socket socket, ProxyMetrics metrics)
    {
        lock (_bytesLock)
        {
            TcpCounters.TryRead(socket, out var received, out var sent);
            _open.TryRemove(id, out _);
            metrics.ConnectionClosed(received, sent);
        }
    }
}
