namespace Nono.Proxy.Routing;

/// <summary>
/// Matches a request against a route's endpoint rules: the method (or <c>*</c>) and a path glob where
/// <c>*</c> matches within one segment and <c>**</c> matches any number of segments.
/// </summary>
internal static class EndpointMatcher
{
    public static bool IsAllowed(IReadOnlyList<EndpointRule> rules, string method, string path)
    {
        if (rules.Count == 0)
            return true;
        foreach (var rule in rules)
        {
            if ((rule.Method == "*" || rule.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) && Glob(rule.PathGlob, path))
                return true;
        }

        return false;
    }

    public static bool Glob(string pattern, string path) => Match(pattern.AsSpan(), path.AsSpan());

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        while (!pattern.IsEmpty)
        {
            if (pattern.StartsWith("**"))
            {
                var rest = pattern[2..];
                for (var i = 0; i <= text.Length; i++)
                {
                    if (Match(rest, text[i..]))
                        return true;
                }

                return false;
            }

            if (pattern[0] == '*')
            {
                var rest = pattern[1..];
                for (var i = 0; i <= text.Length; i++)
                {
                    if (Match(rest, text[i..]))
                        return true;
                    if (i < text.Length && text[i] == '/')
                        return false;
                }

                return false;
            }

            if (text.IsEmpty || pattern[0] != text[0])
                return false;
            pattern = pattern[1..];
            text = text[1..];
        }

        return text.IsEmpty;
    }
}
