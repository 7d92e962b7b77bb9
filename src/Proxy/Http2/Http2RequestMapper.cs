using System.Globalization;
using Nono.Proxy.Filter;
using Nono.Proxy.Http;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Http2;

/// <summary>
/// Turns a decoded request header list into the <see cref="RequestHead"/> the HTTP/1.1 front end also
/// produces, enforcing RFC 9113 section 8: the four request pseudo-headers present once each and before
/// the regular fields, lower-case names, no connection-specific fields, values without CR, LF, NUL or
/// surrounding whitespace, and a <c>:path</c> of visible ASCII only (the rule of an HTTP/1.1 request target). Requests must name the tunnel's own origin (<c>https</c>, its host and port).
/// </summary>
internal static class Http2RequestMapper
{
    private static readonly HashSet<string> ConnectionSpecific = new(StringComparer.Ordinal)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    };

    /// <summary>Why a request was not mapped: <see cref="Status"/> 0 means malformed (reset the stream with PROTOCOL_ERROR).</summary>
    public sealed record Rejection(int Status, string Reason);

    public static RequestHead? Map(List<HeaderField> fields, bool endStream, InterceptTarget target, out Rejection? rejection)
    {
        string? method = null, scheme = null, authority = null, path = null;
        var headers = new List<HeaderField>(fields.Count);
        string? cookie = null;
        long? contentLength = null;
        var expectContinue = false;
        var regularSeen = false;

        foreach (var (name, value) in fields)
        {
            if (name.StartsWith(':'))
            {
                if (regularSeen)
                    return Malformed($"pseudo-header {name} after a regular header field", out rejection);
                ref var slot = ref method;
                switch (name)
                {
                    case ":method": slot = ref method; break;
                    case ":scheme": slot = ref scheme; break;
                    case ":authority": slot = ref authority; break;
                    case ":path": slot = ref path; break;
                    default: return Malformed($"pseudo-header {Printable(name)} is not a request pseudo-header", out rejection);
                }

                if (slot is not null)
                    return Malformed($"pseudo-header {name} appears twice", out rejection);
                if (!ValidValue(value))
                    return Malformed($"invalid value in {name}", out rejection);
                slot = value;
                continue;
            }

            regularSeen = true;
            if (!ValidName(name))
                return Malformed($"invalid header field name '{Printable(name)}' (names must be lower-case tokens)", out rejection);
            if (!ValidValue(value))
                return Malformed($"invalid value in header field {name}", out rejection);
            if (ConnectionSpecific.Contains(name) || (name == "te" && value != "trailers"))
                return Malformed($"connection-specific header field {name}", out rejection);

            switch (name)
            {
                case "content-length":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || (contentLength is { } prior && prior != length))
                        return Malformed("invalid or conflicting content-length", out rejection);
                    contentLength = length;
                    break;
                case "cookie":
                    // Split cookie fields are joined again before an HTTP/1.1 hop (RFC 9113 section 8.2.3).
                    cookie = cookie is null ? value : cookie + "; " + value;
                    continue;
                case "expect":
                    expectContinue = value.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
                    break;
            }

            headers.Add(new HeaderField(name, value));
        }

        if (method is null)
            return Malformed("no :method", out rejection);
        if (method == "CONNECT")
            return Refuse(405, "CONNECT inside an intercepted tunnel is not supported", out rejection);
        if (scheme is null || path is null || authority is null)
            return Malformed("missing :scheme, :path or :authority", out rejection);
        if (!IsToken(method))
            return Malformed("invalid :method", out rejection);
        // The same byte rule as an HTTP/1.1 request target: this path becomes one upstream.
        if (!RequestTarget.IsVisibleAscii(path))
            return Malformed("invalid character in :path (only visible ASCII; percent-encode the rest)", out rejection);
        if (path[0] != '/')
            return Refuse(400, "request path must start with '/'", out rejection);
        if (scheme != "https")
            return Refuse(400, $":scheme must be https inside a TLS tunnel", out rejection);
        if (!NamesTunnelOrigin(authority, target))
            return Refuse(421, $"this connection serves only {target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}", out rejection);
        if (headers.Find(h => h.Name == "host") is { Name: not null } host && !NamesTunnelOrigin(host.Value, target))
            return Refuse(400, "host header differs from :authority", out rejection);
        if (endStream && contentLength > 0)
            return Malformed("content-length promises a body the stream does not carry", out rejection);

        if (cookie is not null)
            headers.Add(new HeaderField("cookie", cookie));
        rejection = null;
        return new RequestHead
        {
            Method = method,
            Target = path,
            MinorVersion = 1,
            Headers = headers,
            ContentLength = endStream ? 0 : contentLength,
            BodyUntilEnd = !endStream && contentLength is null,
            KeepAlive = true,
            ExpectContinue = expectContinue && !endStream,
        };
    }

    private static bool NamesTunnelOrigin(string authority, InterceptTarget target)
    {
        if (authority.Contains('@', StringComparison.Ordinal))
            return false;
        if (Authority.TryParse(authority, out var host, out var port))
            return port == target.Port && SameHost(host, target.Host);
        return SameHost(authority.Trim('[', ']'), target.Host) && target.Port == 443;
    }

    private static bool SameHost(string a, string b) => a.TrimEnd('.').Equals(b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static RequestHead? Malformed(string reason, out Rejection? rejection)
    {
        rejection = new Rejection(0, reason);
        return null;
    }

    private static RequestHead? Refuse(int status, string reason, out Rejection? rejection)
    {
        rejection = new Rejection(status, reason);
        return null;
    }

    private static bool ValidName(string name) => name.Length > 0 && IsToken(name) && !name.Any(char.IsAsciiLetterUpper);

    private static bool IsToken(string s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
                return false;
        }

        return s.Length > 0;
    }

    private static bool ValidValue(string value)
    {
        if (value.Length > 0 && (value[0] is ' ' or '\t' || value[^1] is ' ' or '\t'))
            return false;
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\0')
                return false;
        }

        return true;
    }

    private static string Printable(string s) => s.Length > 64 || s.Any(c => c < 0x20 || c > 0x7E) ? "(unprintable)" : s;
}
