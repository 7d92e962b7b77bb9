using System.Text;

namespace Nono.Proxy.Routing;

/// <summary>
/// Canonical form of a request path before it is matched against route prefixes and endpoint rules:
/// percent-encoded unreserved characters decoded (RFC 3986 section 6.2.2.2), remaining escapes upper-cased,
/// empty and <c>.</c> segments removed. A <c>..</c> segment is refused outright: no legitimate API
/// path needs one, and resolving it would let a path climb out of the route it was matched to.
/// </summary>
internal static class PathNormalizer
{
    public static bool TryNormalize(string path, out string normalized, out string? error)
    {
        normalized = "/";
        error = null;
        if (!path.StartsWith('/'))
        {
            error = "path must start with /";
            return false;
        }

        var decoded = DecodeUnreserved(path, out error);
        if (decoded is null)
            return false;

        var segments = new List<string>();
        foreach (var segment in decoded.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
                continue;
            if (segment == "..")
            {
                error = "path traversal refused";
                return false;
            }

            segments.Add(segment);
        }

        var result = "/" + string.Join('/', segments);
        if (decoded.EndsWith('/') && segments.Count > 0)
            result += "/";
        normalized = result;
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
