namespace Nono.Proxy.Pipeline;

/// <summary>The refusal of a request over its budget (see <see cref="RateLimiter"/>).</summary>
internal static class RateLimit
{
    public static Denial Denial(string limited, int retryAfterSeconds, string host, int port, string? route, string? path = null) =>
        Pipeline.Denial.Of(Refusal.RateLimited, $"rate limit of {limited} reached; retry in {retryAfterSeconds} s", host, port, path, route);
}
