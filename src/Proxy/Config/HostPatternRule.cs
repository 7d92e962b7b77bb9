using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy;

/// <summary>
/// What <see cref="HostPatternRule.Check"/> found: the normalised pattern, or why it is not one.
/// <see cref="SingleLabel"/> marks a name without a dot, which a caller with named host groups may
/// want to explain differently (it may have meant a group).
/// </summary>
public readonly record struct HostPatternCheck(string? Normalized, string? Error, bool SingleLabel);

/// <summary>
/// The proxy's rule for host patterns in allowlists and bypass lists: an exact host name
/// (<c>api.github.com</c>), an IPv4 address, or <c>*.suffix</c> with at least two labels after the star
/// (<c>*.github.com</c>, which matches subdomains but not the bare suffix). Names are lower-cased.
/// Anything that is not a host (a scheme, path, port, bare <c>*</c>, empty label) is refused with a
/// reason, because a pattern that silently matches nothing, or everything, is a policy bug.
/// </summary>
public static class HostPatternRule
{
    public static HostPatternCheck Check(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var text = pattern.Trim();
        var (error, singleLabel) = Problem(text);
        return error is null ? new HostPatternCheck(text.ToLowerInvariant(), null, false) : new HostPatternCheck(null, error, singleLabel);
    }

    private static (string? Error, bool SingleLabel) Problem(string text)
    {
        if (text.Length == 0)
            return ("an empty host name is not a host; remove the entry", false);
        if (text.Contains("://", StringComparison.Ordinal))
            return ($"'{text}' is a URL; give only the host name, e.g. '{HostOfUrl(text)}'", false);
        if (text is "*" or "*.*" or "**")
            return ($"'{text}' would allow every host; list the hosts the program needs, or use --allow-net for unrestricted network", false);
        if (text.Contains('/', StringComparison.Ordinal))
            return ($"'{text}' contains a path; host patterns name hosts only (paths are filtered with endpoint_rules)", false);
        if (text.StartsWith('[') || (text.Count(c => c == ':') > 1 && IPAddress.TryParse(text, out _)))
            return ($"'{text}' is an IPv6 address; IPv6 literals are not supported in host patterns", false);
        if (text.Contains(':', StringComparison.Ordinal))
            return ($"'{text}' contains a port; host patterns apply to every port, give only the host", false);

        var body = text;
        if (text.StartsWith("*.", StringComparison.Ordinal))
        {
            body = text[2..];
            if (body.Contains('*', StringComparison.Ordinal))
                return ($"'{text}' has more than one '*'; only a single leading '*.' is supported", false);
            if (body.Split('.').Length < 2)
                return ($"'{text}' matches a whole top-level domain; give at least two labels after '*.'", false);
        }
        else if (text.Contains('*', StringComparison.Ordinal))
        {
            return ($"'{text}': '*' is only allowed as a whole leading label, as in '*.example.com'", false);
        }

        if (IPAddress.TryParse(body, out var address) && address.AddressFamily == AddressFamily.InterNetwork && body.Count(c => c == '.') == 3)
            return (body == text ? null : $"'{text}': a wildcard cannot be combined with an IP address", false);

        return Labels(text, body);
    }

    private static (string? Error, bool SingleLabel) Labels(string text, string body)
    {
        if (body.Length > 253)
            return ($"'{text}' is longer than the 253 characters a host name may have", false);

        var labels = body.Split('.');
        if (labels.Length < 2)
            return ($"'{text}' is not a host name with a dot", true);

        foreach (var label in labels)
        {
            if (label.Length == 0)
                return ($"'{text}' has an empty label (a leading, trailing or doubled '.')", false);
            if (label.Length > 63)
                return ($"'{text}' has a label longer than 63 characters", false);
            if (label[0] == '-' || label[^1] == '-')
                return ($"'{text}': a label cannot start or end with '-'", false);
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return (char.IsAscii(c)
                        ? $"'{text}' contains '{c}', which cannot appear in a host name"
                        : $"'{text}' contains a non-ASCII character; write internationalised names in their 'xn--' form", false);
                }
            }
        }

        return (null, false);
    }

    private static string HostOfUrl(string text)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.IndexOfAny(['/', ':', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }
}
