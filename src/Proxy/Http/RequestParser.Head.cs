using System.Text;

namespace Nono.Proxy.Http;

internal static partial class RequestParser
{
    /// <summary>Parses a complete head; <paramref name="block"/> is every line including its CRLF, without the final empty line.</summary>
    private static bool ParseComplete(ReadOnlySpan<byte> block, HttpLimits limits, bool response, out object? head, out HttpRejection? rejection)
    {
        head = null;
        var lineEnd = block.IndexOf((byte)'\n');
        if (lineEnd > limits.MaxRequestLine + 1)
        {
            rejection = HttpRejection.UriTooLong;
            return true;
        }

        if (block.Length + 2 > limits.MaxHeaderBytes)
        {
            rejection = HttpRejection.HeadersTooLarge;
            return true;
        }

        if (!TryLine(block, lineEnd, out var requestLine))
        {
            rejection = HttpRejection.BadRequest("line not terminated by CRLF");
            return true;
        }

        string? method = null, target = null;
        int minor, status = 0;
        rejection = response
            ? ParseStatusLine(requestLine, out status, out target, out minor)
            : ParseRequestLine(requestLine, out method, out target, out minor);
        if (rejection is not null)
            return true;

        var headers = new List<HeaderField>(12);
        var rest = block[(lineEnd + 1)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            if (!TryLine(rest, end, out var line))
            {
                rejection = HttpRejection.BadRequest("line not terminated by CRLF");
                return true;
            }

            if (headers.Count == limits.MaxHeaderCount)
            {
                rejection = HttpRejection.HeadersTooLarge;
                return true;
            }

            rejection = ParseHeader(line, out var field);
            if (rejection is not null)
                return true;
            headers.Add(field);
            rest = rest[(end + 1)..];
        }

        if (response)
        {
            var done = HeadBuilder.BuildResponse(status, target!, minor, headers, out var responseHead, out rejection);
            head = responseHead;
            return done;
        }

        var result = HeadBuilder.Build(method!, target!, minor, headers, out var requestHead, out rejection);
        head = requestHead;
        return result;
    }

    /// <summary><c>HTTP/1.1 200 OK</c>; the reason phrase lands in <paramref name="reason"/>.</summary>
    private static HttpRejection? ParseStatusLine(ReadOnlySpan<byte> line, out int status, out string? reason, out int minor)
    {
        status = 0;
        reason = null;
        minor = 1;
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != ' ' || line[7] is not ((byte)'0' or (byte)'1'))
            return HttpRejection.BadRequest("malformed status line");
        minor = line[7] - '0';
        for (var i = 9; i < 12; i++)
        {
            if (!char.IsAsciiDigit((char)line[i]))
                return HttpRejection.BadRequest("malformed status line");
            status = (status * 10) + (line[i] - '0');
        }

        if (line.Length > 12 && line[12] != ' ')
            return HttpRejection.BadRequest("malformed status line");
        reason = line.Length > 13 ? Encoding.Latin1.GetString(line[13..]) : "";
        return null;
    }

    private static bool TryLine(ReadOnlySpan<byte> span, int lf, out ReadOnlySpan<byte> line)
    {
        line = default;
        if (lf < 1 || span[lf - 1] != '\r')
            return false;
        line = span[..(lf - 1)];
        return line.IndexOf((byte)'\r') < 0;
    }

    private static HttpRejection? ParseRequestLine(ReadOnlySpan<byte> line, out string? method, out string? target, out int minor)
    {
        method = target = null;
        minor = 1;
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0 || !IsToken(line[..sp1]))
            return HttpRejection.BadRequest("malformed request line");

        var afterMethod = line[(sp1 + 1)..];
        var sp2 = afterMethod.IndexOf((byte)' ');
        if (sp2 <= 0)
            return HttpRejection.BadRequest("malformed request line");

        var rawTarget = afterMethod[..sp2];
        if (!RequestTarget.IsVisibleAscii(rawTarget))
            return HttpRejection.BadRequest("invalid character in request target");

        var version = afterMethod[(sp2 + 1)..];
        if (version.SequenceEqual("HTTP/1.1"u8))
            minor = 1;
        else if (version.SequenceEqual("HTTP/1.0"u8))
            minor = 0;
        else if (version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == '.')
            return new HttpRejection(505, "HTTP version not supported");
        else
            return HttpRejection.BadRequest("malformed request line");

        method = KnownStrings.Method(line[..sp1]);
        target = Encoding.ASCII.GetString(rawTarget);
        return null;
    }

    private static HttpRejection? ParseHeader(ReadOnlySpan<byte> line, out HeaderField field)
    {
        field = default;
        if (line[0] is (byte)' ' or (byte)'\t')
            return HttpRejection.BadRequest("obsolete header line folding");

        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
            return HttpRejection.BadRequest("malformed header field");

        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if ((b < 0x20 && b != '\t') || b == 0x7F)
                return HttpRejection.BadRequest("invalid character in header value");
        }

        field = new HeaderField(KnownStrings.HeaderName(line[..colon]), Encoding.Latin1.GetString(value));
        return null;
    }

    private static bool IsToken(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (!IsTokenChar(b))
                return false;
        }

        return true;
    }

    private static bool IsTokenChar(byte b) =>
        char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&'
            or (byte)'\'' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_'
            or (byte)'`' or (byte)'|' or (byte)'~';
}
