using System.Net;

namespace Nono.Proxy.Filter;

/// <summary>
/// A set of host patterns: exact names (or IP literals, compared in canonical form) and
/// <c>*.suffix</c> wildcards, which match any name below the suffix but not the suffix itself.
/// </summary>
internal sealed class HostPatterns
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _suffixes = [];

    public HostPatterns(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns)
        {
            var pattern = HostName.Normalize(raw);
            if (pattern.StartsWith("*.", StringComparison.Ordinal) && pattern.Length > 2)
                _suffixes.Add(pattern[1..]);
            else if (pattern.Length > 0)
                _exact.Add(Canonical(pattern));
        }
    }

    public bool IsEmpty => _exact.Count == 0 && _suffixes.Count == 0;

    public void AddExact(string host) => _exact.Add(Canonical(HostName.Normalize(host)));

    /// <summary><paramref name="normalized"/> must come from <see cref="HostName.Normalize"/>.</summary>
    public bool Matches(string normalized) => Match(normalized) is not null;

    /// <summary>The pattern that matches <paramref name="normalized"/> (its exact name or <c>*.suffix</c>), or null.</summary>
    public string? Match(string normalized)
    {
        var canonical = Canonical(normalized);
        if (_exact.Contains(canonical))
            return canonical;
        foreach (var suffix in _suffixes)
        {
            if (canonical.Length > suffix.Length && canonical.EndsWith(suffix, StringComparison.Ordinal))
                return "*" + suffix;
        }

        return null;
    }

    /// <summary>IP literals in any spelling compare equal to their dotted or RFC 5952 form.</summary>
    private static string Canonical(string host) =>
        IpLiteral.Classify(host, out var address) == IpLiteral.Kind.Address ? Display(address!) : host;

    public static string Display(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
}
