namespace Nono.Proxy.Pipeline;

/// <summary>A token bucket of <c>burst</c> tokens refilled continuously at <c>rate</c> per second.</summary>
internal sealed class TokenBucket(double rate, int burst, Func<long> clockMs)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = clockMs();

    /// <summary>Takes a token, or says how long until one is there.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= 1)
            {
                _tokens -= 1;
                wait = TimeSpan.Zero;
                return true;
            }

            wait = TimeSpan.FromSeconds((1 - _tokens) / rate);
            return false;
        }
    }

    /// <summary>Gives back a token taken for a request that was refused by another budget.</summary>
    public void Return()
    {
        lock (_lock)
            _tokens = Math.Min(burst, _tokens + 1);
    }

    private void Refill()
    {
        var now = clockMs();
        if (now > _last)
        {
            _tokens = Math.Min(burst, _tokens + ((now - _last) / 1000.0 * rate));
            _last = now;
        }
    }
}
