using System.Globalization;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Validates <c>network.upstream_proxy</c> / <c>--upstream-proxy</c>: <c>host:port</c>, optionally
/// written as <c>http://host:port</c>. Credentials in the address are refused: a profile is not a
/// place for a password.
/// </summary>
internal static class UpstreamProxyAddress
{
    public static string Normalize(string value, SourceLocation where)
    {
        var text = value.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["http://".Length..].TrimEnd('/');
        }
        else if (text.Contains("://", StringComparison.Ordinal))
        {
            throw ProfileException.At(where, $"upstream proxy '{value}': only http:// proxies (or plain host:port) are supported");
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            throw ProfileException.At(where, "the upstream proxy address must not contain a user name or password");
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw ProfileException.At(where, $"upstream proxy '{value}' must be host:port with a port from 1 to 65535, e.g. proxy.corp.example:3128");
        }

        var host = text[..colon];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (!bracketed && (host.Contains(':', StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal) || host.Length == 0))
        {
            throw ProfileException.At(where, $"upstream proxy '{value}' has an invalid host (write IPv6 addresses in brackets)");
        }

        return $"{host.ToLowerInvariant()}:{port}";
    }
}
