using System.Collections.Concurrent;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Idle keep-alive connections for plain-HTTP forwarding, per upstream host and port. A connection is
/// only reused when it has stayed quiet since its last response and has not been idle too long.
/// </summary>
internal sealed class Http1Pool : IDisposable
{
    private const int MaxIdlePerHost = 128;
    private const long MaxIdleMs = 30_000;
    private const long RecentMs = 1_000;
    private readonly ConcurrentDictionary<string, ConcurrentStack<Http1Connection>> _idle = new(StringComparer.Ordinal);
    private bool _disposed;

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
            if (idleMs < MaxIdleMs && ((retryable && idleMs < RecentMs) || connection.LooksIdle()))
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

    public void Dispose()
    {
        _disposed = true;
        foreach (var stack in _idle.Values)
        {
            while (stack.TryPop(out var connection))
                connection.Dispose();
        }
    }
}
