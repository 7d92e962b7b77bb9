using System.Diagnostics.CodeAnalysis;
using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Host patterns of profiles and flags, checked by the proxy's own rule (<see cref="HostPatternRule"/>,
/// so the profile layer and the proxy cannot disagree about what a pattern means); a failure is
/// reported at the entry's location. A name without a dot is explained with the network groups, since
/// that is what such an entry usually meant.
/// </summary>
internal static class HostPattern
{
    public static string Normalize(string pattern, SourceLocation where)
    {
        if (TryNormalize(pattern, out var normalized, out var error))
        {
            return normalized;
        }

        throw ProfileException.At(where, error);
    }

    public static bool TryNormalize(string pattern, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        var check = HostPatternRule.Check(pattern);
        normalized = check.Normalized;
        error = check.SingleLabel
            ? $"'{pattern.Trim()}' is neither a network group nor a host name with a dot; known groups: {string.Join(", ", NetworkGroups.Names)}"
            : check.Error;
        return normalized is not null;
    }
}
