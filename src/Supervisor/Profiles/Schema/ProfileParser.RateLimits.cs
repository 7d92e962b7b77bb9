using System.Globalization;
using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// <c>network.rate_limits</c> (not in nono's schema; ours): a list of
/// <c>{"host": "api.example.com" | "route": "openai", "requests_per_second": 5, "burst": 10}</c>.
/// A route is named as in <c>network.credentials</c> (its prefix is <c>/NAME</c>).
/// </summary>
internal static partial class ProfileParser
{
    private static readonly string[] RateLimitKeys = ["host", "route", "requests_per_second", "burst"];

    private static List<RateLimitSpec> RateLimits(JNode node, string path)
    {
        if (node is not JArray list)
            throw TypeError(node, path, "a list of objects");
        var result = new List<RateLimitSpec>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
            result.Add(RateLimit(Object(list.Items[i], $"{path}[{i}]"), $"{path}[{i}]"));
        return result;
    }

    private static RateLimitSpec RateLimit(JObject entry, string path)
    {
        string? host = null, route = null;
        double? rate = null;
        int? burst = null;
        foreach (var property in entry.Properties)
        {
            var key = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "host":
                    host = HostPattern.Normalize(String(property.Value, key), property.Value.Where);
                    break;
                case "route":
                    route = String(property.Value, key);
                    RequireServiceName(route, property.Value.Where, key);
                    break;
                case "requests_per_second":
                    rate = PositiveNumber(property.Value, key);
                    break;
                case "burst":
                    burst = Int(property.Value, key, 1, 1_000_000).Value;
                    break;
                default:
                    throw Unknown(property, path, RateLimitKeys);
            }
        }

        if ((host is null) == (route is null))
            throw ProfileException.At(entry.Where, $"'{path}' needs exactly one of \"host\" and \"route\"");
        if (rate is null)
            throw ProfileException.At(entry.Where, $"'{path}' needs \"requests_per_second\"");

        // Without a burst, one second's worth of requests may arrive at once.
        return new RateLimitSpec(host, route, rate.Value, burst ?? Math.Max(1, (int)Math.Ceiling(rate.Value)), entry.Where);
    }

    private static double PositiveNumber(JNode node, string path)
    {
        if (node is JNumber number && double.TryParse(number.Raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && value > 0 && value <= 1_000_000)
            return value;
        throw TypeError(node, path, "a number above 0 (requests per second, e.g. 5 or 0.5)");
    }
}

/// <summary>One <c>network.rate_limits</c> entry: exactly one of a host pattern and a credential service name.</summary>
internal sealed record RateLimitSpec(string? Host, string? Route, double RequestsPerSecond, int Burst, SourceLocation Where);
