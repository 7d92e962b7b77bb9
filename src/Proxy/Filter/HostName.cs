namespace Nono.Proxy.Filter;

/// <summary>Canonical form of a host name for comparisons: lower case, no trailing dot, no IPv6 brackets.</summary>
internal static class HostName
{
    public static string Normalize(string host)
    {
        var h = host.Trim();
        if (h.Length >= 2 && h[0] == '[' && h[^1] == ']')
            h = h[1..^1];
        h = h.TrimEnd('.');
        return h.ToLowerInvariant();
    }

    /// <summary>True when every character is one a DNS name or IP literal may contain.</summary>
    public static bool IsWellFormed(string normalized)
    {
        if (normalized.Length is 0 or > 253)
            return false;
        foreach (var c in normalized)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '%'))
                return false;
        }

        return !normalized.Contains("..", StringComparison.Ordinal);
    }
}
