namespace Nono.Supervisor.Profiles;

/// <summary>
/// <c>network.deny_domain</c> wins over every allow: an allowed host or pattern that a deny covers
/// is taken out of the proxy's allowlist. A deny that lies strictly inside an allowed wildcard
/// (allow <c>*.example.com</c>, deny <c>ads.example.com</c>) would need the proxy to carve it out of
/// the pattern, which it cannot, so it is refused rather than ignored.
/// </summary>
internal static class DomainDenies
{
    public static List<string> Apply(List<string> allowed, IReadOnlyList<Located<string>> denies)
    {
        if (denies.Count == 0)
        {
            return allowed;
        }

        var kept = new List<string>();
        foreach (var pattern in allowed)
        {
            if (denies.Any(deny => Covers(deny.Value, pattern)))
            {
                continue;
            }

            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                && denies.FirstOrDefault(deny => Covers(pattern, deny.Value)) is { } inside)
            {
                throw ProfileException.At(inside.Where,
                    $"network.deny_domain: '{inside.Value}' lies inside the allowed '{pattern}', and the proxy cannot refuse part of an allowed pattern; allow the names you need instead of '{pattern}'");
            }

            kept.Add(pattern);
        }

        return kept;
    }

    /// <summary>True when every name <paramref name="inner"/> matches is matched by <paramref name="outer"/>.</summary>
    private static bool Covers(string outer, string inner)
    {
        if (outer == inner)
        {
            return true;
        }

        if (!outer.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = outer[1..];
        var name = inner.StartsWith("*.", StringComparison.Ordinal) ? inner[1..] : "." + inner;
        return name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length;
    }
}
