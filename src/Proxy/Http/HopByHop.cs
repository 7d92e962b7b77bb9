namespace Nono.Proxy.Http;

/// <summary>Headers that describe one connection and must not be forwarded to the next hop (RFC 9110 section 7.6.1).</summary>
internal static class HopByHop
{
    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "X-Nono-Token",
    };

    /// <summary>True when <paramref name="name"/> is hop-by-hop, either always or because a Connection header names it.</summary>
    public static bool IsHopByHop(string name, HashSet<string>? namedByConnection) =>
        Always.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) || (namedByConnection?.Contains(name) ?? false);

    /// <summary>Header names listed in Connection headers, or null when there are none.</summary>
    public static HashSet<string>? NamedByConnection(IEnumerable<HeaderField> headers)
    {
        HashSet<string>? named = null;
        foreach (var (name, value) in headers)
            AddNamed(ref named, name, value);
        return named;
    }

    /// <summary>The same for a parsed head's list, walked without an enumerator object (this runs for every request).</summary>
    public static HashSet<string>? NamedByConnection(List<HeaderField> headers)
    {
        HashSet<string>? named = null;
        foreach (var (name, value) in headers)
            AddNamed(ref named, name, value);
        return named;
    }

    private static void AddNamed(ref HashSet<string>? named, string name, string value)
    {
        if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            return;
        foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!token.Equals("close", StringComparison.OrdinalIgnoreCase) && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                (named ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(token);
        }
    }
}
