using Nono.Proxy.Filter;

namespace Nono.Proxy.Routing;

/// <summary>
/// The <see cref="ProxyConfig.HostEndpoints"/> rules by host. One entry answers for a host: an exact
/// name before any wildcard, and the longest matching <c>*.suffix</c> among wildcards, so a narrower
/// entry can list other endpoints than a broader one.
/// </summary>
internal sealed class HostEndpointTable
{
    private readonly Dictionary<string, HostEndpointConfig> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Suffix, HostEndpointConfig Entry)> _suffixes = [];

    public HostEndpointTable(IReadOnlyList<HostEndpointConfig> entries)
    {
        foreach (var entry in entries)
        {
            var pattern = HostName.Normalize(entry.Host);
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
                _suffixes.Add((pattern[1..], entry));
            else
                _exact[pattern] = entry;
        }

        _suffixes.Sort((a, b) => b.Suffix.Length.CompareTo(a.Suffix.Length));
    }

    public bool IsEmpty => _exact.Count == 0 && _suffixes.Count == 0;

    /// <summary>The rules for <paramref name="host"/>; null when no entry names it or its entry has no rules.</summary>
    public HostEndpointConfig? RulesFor(string host)
    {
        if (IsEmpty)
            return null;
        var normalized = HostName.Normalize(host);
        var entry = _exact.GetValueOrDefault(normalized);
        if (entry is null)
        {
            foreach (var (suffix, candidate) in _suffixes)
            {
                if (normalized.Length > suffix.Length && normalized.EndsWith(suffix, StringComparison.Ordinal))
                {
                    entry = candidate;
                    break;
                }
            }
        }

        return entry is { Rules.Count: > 0 } ? entry : null;
    }
}
