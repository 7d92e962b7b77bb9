using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

internal static partial class SessionResolver
{
    /// <summary><c>network.rate_limits</c> as the proxy's rules; a route must be one this session activates.</summary>
    private static List<RateLimitRule> RateLimitRules(IReadOnlyList<RateLimitSpec> limits, IReadOnlyList<RouteConfig> routes)
    {
        var result = new List<RateLimitRule>(limits.Count);
        foreach (var limit in limits)
        {
            string? prefix = null;
            if (limit.Route is { } name)
            {
                prefix = "/" + name;
                if (!routes.Any(r => r.Prefix == prefix))
                {
                    throw ProfileException.At(limit.Where,
                        $"rate limit for route '{name}': no active credential route has that name (active: {(routes.Count == 0 ? "none" : string.Join(", ", routes.Select(r => r.Prefix.TrimStart('/'))))}); define it in network.custom_credentials or list a built-in service in network.credentials");
                }
            }

            result.Add(new RateLimitRule { Host = limit.Host, Route = prefix, RequestsPerSecond = limit.RequestsPerSecond, Burst = limit.Burst });
        }

        return result;
    }
}
