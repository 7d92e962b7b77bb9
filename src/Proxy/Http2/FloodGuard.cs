using System.Diagnostics;

namespace Nono.Proxy.Http2;

/// <summary>
/// A token bucket counting frames of one kind from one client: a burst is allowed, a sustained rate
/// above the refill rate is not. Used on the connection's read loop only, so not thread-safe.
/// </summary>
internal sealed class FloodGuard(int burst, int perSecond)
{
    private double _tokens = burst;
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}
