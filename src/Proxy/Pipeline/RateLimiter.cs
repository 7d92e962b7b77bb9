namespace Nono.Proxy.Pipeline;

/// <summary>
/// The configured request budgets (<see cref="ProxyConfig.RateLimits"/>) as token buckets, one per rule: a
/// host pattern's bucket is shared by every host it matches, so a wildcard cannot be sidestepped with new
/// names, and the number of buckets is fixed by the configuration, not by what clients send.
/// </summary>
internal sealed class RateLimiter
{
    private readonly (RateLimitRule Rule, TokenBucket Bucket)[] _hosts;
    private readonly Dictionary<string, TokenBucket> _routes;

    public RateLimiter(IReadOnlyList<RateLimitRule> rules, Func<long> clock)
    {
        _hosts = [.. rules.Where(r => r.Host is not null).Select(r => (r with { Host = r.Host!.Trim().ToLowerInvariant() }, new TokenBucket(r.RequestsPerSecond, r.Burst, clock)))];
        _routes = rules.Where(r => r.Route is not null).ToDictionary(r => r.Route!, r => new TokenBucket(r.RequestsPerSecond, r.Burst, clock), StringComparer.Ordinal);
    }

    public bool IsEmpty => _hosts.Length == 0 && _routes.Count == 0;

    /// <summary>
    /// Takes one request from every budget that applies to <paramref name="host"/> and <paramref name="route"/>;
    /// false with the seconds until the refused budget has room again when one of them is spent (nothing is taken then).
    /// </summary>
    public bool TryAcquire(string host, string? route, out int retryAfterSeconds, out string limited)
    {
        retryAfterSeconds = 0;
        limited = "";
        if (IsEmpty)
            return true;
        var normalized = host.TrimEnd('.').ToLowerInvariant();
        var taken = new List<TokenBucket>(2);
        foreach (var (rule, bucket) in _hosts)
        {
            if (Matches(rule.Host!, normalized) && !Take(bucket, taken, $"host {rule.Host}", ref retryAfterSeconds, ref limited))
                return false;
        }

        if (route is not null && _routes.TryGetValue(route, out var routeBucket) && !Take(routeBucket, taken, $"route {route}", ref retryAfterSeconds, ref limited))
            return false;
        return true;
    }

    private static bool Take(TokenBucket bucket, List<TokenBucket> taken, string name, ref int retryAfter, ref string limited)
    {
        if (bucket.TryTake(out var wait))
        {
            taken.Add(bucket);
            return true;
        }

        // A request refused by one budget does not spend the others.
        foreach (var t in taken)
            t.Return();
        retryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        limited = name;
        return false;
    }

    private static bool Matches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.Ordinal) && host.Length > pattern.Length - 1
            : host == pattern;
}
