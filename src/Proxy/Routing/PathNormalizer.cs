using System.Text;
using Nono.Proxy.Http;

namespace Nono.Proxy.Routing;

/// <summary>
/// Canonical form of a request path before it is matched against route prefixes and endpoint rules:
/// percent-encoded unreserved characters decoded (RFC 3986 section 6.2.2.2), remaining escapes upper-cased,
/// empty and literal <c>.</c> segments removed.
/// </summary>
/// <remarks>
/// Everything that some server, framework or URL library might read as a separator or a dot segment is
/// refused rather than normalised: the path the proxy checks must be the path the origin acts on, and the
/// proxy cannot know how many times, or by which rules, the origin decodes it. So a backslash, an encoded
/// <c>/</c> or <c>\</c> (at any depth of encoding) and any segment that decodes to <c>.</c> or <c>..</c>
/// are errors, not something to fix up.
/// </remarks>
internal static class PathNormalizer
{
    /// <summary>Enough rounds to see through any encoding a client would plausibly stack (%25252e...).</summary>

    public static bool TryNormalize(string path, out string normalized, out string? error)
    {
        normalized = "/";
        error = null;
        if (!path.StartsWith('/'))
        {
            error = "path must start with /";
            return false;
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            error = "backslash in path refused";
            return false;
        }

        if (path.Contains("%2F", StringComparison.OrdinalIgnoreCase) || path.Contains("%5C", StringComparison.OrdinalIgnoreCase))
        {
            error = "encoded / or \\ in path refused";
            return false;
        }

        var segments = new List<string>();
        foreach (var raw in path.Split('/'))
        {
            // Literal "." means "this segment" to every parser alike; dropping it changes nothing downstream.
            if (raw.Length == 0 || raw == ".")
                continue;
            if (DecodeUnreserved(raw, out error) is not { } segment)
                return false;
            if (!IsPlainSegment(raw, out error))
                return false;
            segments.Add(segment);
        }

        var result = "/" + string.Join('/', segments);
        if (path.EndsWith('/') && segments.Count > 0)
            result += "/";
        normalized = result;
        return true;
    }

    /// <summary>False when <paramref name="raw"/>, decoded as often as it holds escapes, is a dot segment or hides a separator.</summary>
    private static bool IsPlainSegment(string raw, out string? error)
    {
        foreach (var decoded in RequestTarget.DecodingLayers(raw))
        {
            // Servlet containers and others drop ";parameters" from a segment, so "..;" is ".." to them.
            if (decoded is null)
            {
                error = "path segment encoded too many times";
                return false;
            }

            if (decoded is "." or ".." || decoded.Split(';', 2)[0] is "." or "..")
            {
                error = "path traversal refused";
                return false;
            }

            if (decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal))
            {
                error = "encoded / or \\ in path refused";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static string? DecodeUnreserved(string path, out string? error)
    {
        error = null;
        if (!path.Contains('%', StringComparison.Ordinal))
            return path;

        var sb = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2]))
            {
                error = "malformed percent-encoding in path";
                return null;
            }

            var value = (char)Convert.ToByte(path.Substring(i + 1, 2), 16);
            if (char.IsAsciiLetterOrDigit(value) || value is '-' or '.' or '_' or '~')
                sb.Append(value);
            else
                sb.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
            i += 2;
        }

        return sb.ToString();
    }
}
