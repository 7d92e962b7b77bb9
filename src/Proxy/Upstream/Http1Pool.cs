using System.Collections.Concurrent;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Idle keep-alive connections for plain-HTTP forwarding, per upstream host and port. A connection is
/// only reused when it has stayed quiet since its last response and has not been idle too long. A timer
/// closes connections idle past that limit, so they do not linger until their host is used again.
/// </summary>
internal sealed class Http1Pool : IDisposable
{
    private const int MaxIdlePerHost = 128;
    private const long RecentMs = 1_000;
    private readonly ConcurrentDictionary<string, ConcurrentStack<Http1Connection>> _idle = new(StringComparer.Ordinal);
    private readonly long _maxIdleMs;
    private readonly Timer _sweeper;
    private volatile bool _disposed;

    /// <param name="maxIdle">Longest an idle connection is kept (30 s when not given); swept twice as often.</param>
    public Http1Pool(TimeSpan? maxIdle = null)
    {
        var limit = maxIdle ?? TimeSpan.FromSeconds(30);
        _maxIdleMs = (long)limit.TotalMilliseconds;
        _sweeper = new Timer(static pool => ((Http1Pool)pool!).Sweep(), this, limit / 2, limit / 2);
    }

    /// <summary>Idle connections held right now, across all hosts.</summary>
    public int IdleCount => _idle.Values.Sum(stack => stack.Count);

    /// <param name="retryable">The request can be retried on a fresh connection (it has no body), so a
    /// connection used a moment ago is taken without checking it.</param>
    public Http1Connection? Rent(string key, bool retryable)
    {
        if (!_idle.TryGetValue(key, out var stack))
            return null;
        while (stack.TryPop(out var connection))
        {
            // The check costs a system call, so it is skipped for a connection that was busy a moment ago when
            // the request could be retried: servers rarely drop keep-alive connections that fast.
            var idleMs = Environment.TickCount64 - connection.LastUsed;
            if (idleMs < _maxIdleMs && ((retryable && idleMs < RecentMs) || connection.LooksIdle()))
                return connection;
            connection.Dispose();
        }

        return null;
    }

    public void Return(string key, Http1Connection connection)
    {
        var stack = _idle.GetOrAdd(key, static _ => new ConcurrentStack<Http1Connection>());
        if (_disposed || stack.Count >= MaxIdlePerHost)
        {
            connection.Dispose();
            return;
        }

        connection.LastUsed = Environment.TickCount64;
        stack.Push(connection);
    }

    /// <summary>Closes the connections idle too long, or no longer quiet (closed or reset by the upstream).</summary>
    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var stack in _idle.Values)
        {
            var taken = new Http1Connection[stack.Count];
            var count = stack.TryPopRange(taken);
            for (var i = count - 1; i >= 0; i--)
            {
                // Pushed back oldest first, so the most recently used stays on top.
                var connection = taken[i];
                if (!_disposed && now - connection.LastUsed < _maxIdleMs && connection.LooksIdle())
                    stack.Push(connection);
                else
                    connection.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _sweeper.Dispose();
        foreach (var stack in _idle.Values)
        {
            while (stack.TryPop(out var connection))
                connection.Dispose();
        }
    }
}
