using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Tests.Unit;

/// <summary>Request budgets as token buckets, on a clock the test moves.</summary>
public sealed class RateLimiterTests
{
    private long _now = 1_000;

    private RateLimiter Limiter(params RateLimitRule[] rules) => new(rules, () => _now);

    [Fact]
    public void A_burst_is_allowed_then_refused_with_the_seconds_until_the_next_token()
    {
        var limiter = Limiter(new RateLimitRule { Host = "api.example.com", RequestsPerSecond = 0.5, Burst = 2 });

        Assert.True(limiter.TryAcquire("api.example.com", null, out _, out _));
        Assert.True(limiter.TryAcquire("API.example.com.", null, out _, out _));
        Assert.False(limiter.TryAcquire("api.example.com", null, out var retry, out var limited));
        Assert.Equal(2, retry);
        Assert.Equal("host api.example.com", limited);

        _now += 2_000;
        Assert.True(limiter.TryAcquire("api.example.com", null, out _, out _));
        Assert.True(limiter.TryAcquire("other.example.com", null, out _, out _));
    }

    [Fact]
    public void A_wildcard_budget_is_shared_by_every_name_it_matches_so_new_names_do_not_reset_it()
    {
        var limiter = Limiter(new RateLimitRule { Host = "*.example.com", RequestsPerSecond = 1, Burst = 1 });

        Assert.True(limiter.TryAcquire("a.example.com", null, out _, out _));
        Assert.False(limiter.TryAcquire("b.example.com", null, out _, out _));
        Assert.True(limiter.TryAcquire("example.com", null, out _, out _));
    }

    [Fact]
    public void A_request_refused_by_its_route_budget_does_not_spend_its_host_budget()
    {
        var limiter = Limiter(
            new RateLimitRule { Host = "api.example.com", RequestsPerSecond = 1, Burst = 2 },
            new RateLimitRule { Route = "/llm", RequestsPerSecond = 1, Burst = 1 });

        Assert.True(limiter.TryAcquire("api.example.com", "/llm", out _, out _));
        Assert.False(limiter.TryAcquire("api.example.com", "/llm", out _, out var limited));
        Assert.Equal("route /llm", limited);
        Assert.True(limiter.TryAcquire("api.example.com", null, out _, out _));
    }

    [Theory]
    [InlineData(null, null, 1.0, 1)]
    [InlineData("a.example.com", "/r", 1.0, 1)]
    [InlineData("a.example.com", null, 0.0, 1)]
    [InlineData("a.example.com", null, 1.0, 0)]
    [InlineData("https://a.example.com", null, 1.0, 1)]
    public void Unusable_rules_are_refused(string? host, string? route, double rate, int burst) =>
        Assert.NotNull(new RateLimitRule { Host = host, Route = route, RequestsPerSecond = rate, Burst = burst }.Problem());
}
