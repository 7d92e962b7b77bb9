namespace Nono.Proxy;

/// <summary>
/// A request budget: a token bucket holding <see cref="Burst"/> requests, refilled at
/// <see cref="RequestsPerSecond"/>. Exactly one of <see cref="Host"/> (an exact name or <c>*.suffix</c>, whose
/// budget all the hosts it matches share) and <see cref="Route"/> (a credential route's prefix) is set.
/// A request over its budget is answered 429 with <c>Retry-After</c>.
/// </summary>
public sealed record RateLimitRule
{
    public string? Host { get; init; }

    /// <summary>A route prefix as in <see cref="RouteConfig.Prefix"/> (<c>/openai</c>).</summary>
    public string? Route { get; init; }

    public double RequestsPerSecond { get; init; }

    /// <summary>Requests that may arrive at once after a quiet period; at least 1.</summary>
    public int Burst { get; init; }

    /// <summary>Why the rule cannot be used, or null.</summary>
    public string? Problem()
    {
        if ((Host is null) == (Route is null))
            return "a rate limit names exactly one of a host and a route";
        if (!(RequestsPerSecond > 0) || double.IsInfinity(RequestsPerSecond))
            return $"rate limit for {Host ?? Route}: requests per second must be a positive number";
        if (Burst < 1)
            return $"rate limit for {Host ?? Route}: burst must be at least 1";
        if (Host is not null && HostPatternRule.Check(Host) is { Error: { } error })
            return $"rate limit host: {error}";
        return null;
    }
}
