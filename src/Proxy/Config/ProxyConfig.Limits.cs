namespace Nono.Proxy;

public sealed partial record ProxyConfig
{
    /// <summary>Per-host and per-route request budgets (see <see cref="RateLimitRule"/>); empty: none.</summary>
    public IReadOnlyList<RateLimitRule> RateLimits { get; init; } = [];
}
