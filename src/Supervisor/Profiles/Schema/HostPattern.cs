using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Validates host patterns for allowlists and bypass lists: an exact host name (<c>api.github.com</c>),
/// an IPv4 address, or <c>*.suffix</c> with at least two labels after the star (<c>*.github.com</c>,
/// which matches subdomains but not the bare suffix). Names are lower-cased. Anything that is not a
/// host (a scheme, path, port, bare <c>*</c>, empty label) is refused with a reason, because a
/// pattern that silently matches nothing, or everything, is a policy bug.
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
        normalized = null;
        var text = pattern.Trim();
        error = Check(text);
        if (error is not null)
        {
            return false;
        }

        normalized = text.ToLowerInvariant();
        return true;
    }

    private static string? Check(string text)
    {
        if (text.Length == 0)
        {
            return "an empty host name is not a host; remove the entry";
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return $"'{text}' is a URL; give only the host name, e.g. '{HostOfUrl(text)}'";
        }

        if (text is "*" or "*.*" or "**")
        {
            return $"'{text}' would allow every host; list the hosts the program needs, or use --allow-net for unrestricted network";
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            return $"'{text}' contains a path; host patterns name hosts only (paths are filtered with endpoint_rules)";
        }

        if (text.StartsWith('[') || (text.Count(c => c == ':') > 1 && IPAddress.TryParse(text, out _)))
        {
            return $"'{text}' is an IPv6 address; IPv6 literals are not supported in host patterns";
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return $"'{text}' contains a port; host patterns apply to every port, give only the host";
        }

        var body = text;
        if (text.StartsWith("*.", StringComparison.Ordinal))
        {
            body = text[2..];
            if (body.Contains('*', StringComparison.Ordinal))
            {
                return $"'{text}' has more than one '*'; only a single leading '*.' is supported";
            }

            if (body.Split('.').Length < 2)
            {
                return $"'{text}' matches a whole top-level domain; give at least two labels after '*.'";
            }
        }
        else if (text.Contains('*', StringComparison.Ordinal))
        {
            return $"'{text}': '*' is only allowed as a whole leading label, as in '*.example.com'";
        }

        if (IPAddress.TryParse(body, out var address) && address.AddressFamily == AddressFamily.InterNetwork && body.Count(c => c == '.') == 3)
        {
            return body == text ? null : $"'{text}': a wildcard cannot be combined with an IP address";
        }

        return CheckLabels(text, body);
    }

    private static string? CheckLabels(string text, string body)
    {
        if (body.Length > 253)
        {
            return $"'{text}' is longer than the 253 characters a host name may have";
        }

        var labels = body.Split('.');
        if (labels.Length < 2)
        {
            return $"'{text}' is neither a network group nor a host name with a dot; known groups: {string.Join(", ", NetworkGroups.Names)}";
        }

        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return $"'{text}' has an empty label (a leading, trailing or doubled '.')";
            }

            if (label.Length > 63)
            {
                return $"'{text}' has a label longer than 63 characters";
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return $"'{text}': a label cannot start or end with '-'";
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return char.IsAscii(c)
                        ? $"'{text}' contains '{c}', which cannot appear in a host name"
                        : $"'{text}' contains a non-ASCII character; write internationalised names in their 'xn--' form";
                }
            }
        }

        return null;
    }

    private static string HostOfUrl(string text)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.IndexOfAny(['/', ':', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }
}
