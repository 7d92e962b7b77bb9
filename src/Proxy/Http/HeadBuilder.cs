namespace Nono.Proxy.Http;

/// <summary>Derives body framing and connection persistence from parsed header fields.</summary>
internal static class HeadBuilder
{
    public static bool Build(string method, string target, int minor, List<HeaderField> headers, out RequestHead? head, out HttpRejection? rejection)
    {
        head = null;
        rejection = null;
        long? contentLength = null;
        string? transferEncoding = null;
        var hosts = 0;
        var close = false;
        var keepAliveToken = false;
        var expectContinue = false;

        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryParseLength(value, out var length) || (contentLength is { } prior && prior != length))
                {
                    rejection = HttpRejection.BadRequest("invalid Content-Length");
                    return true;
                }

                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = transferEncoding is null ? value : transferEncoding + "," + value;
            }
            else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                hosts++;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    close |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                    keepAliveToken |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
                }
            }
            else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                expectContinue = value.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (hosts > 1)
        {
            rejection = HttpRejection.BadRequest("more than one Host header");
            return true;
        }

        var chunked = false;
        if (transferEncoding is not null)
        {
            if (contentLength is not null || minor == 0)
            {
                // Both framings at once is the classic request-smuggling vector: refuse rather than pick one.
                rejection = HttpRejection.BadRequest("Transfer-Encoding with Content-Length or in HTTP/1.0");
                return true;
            }

            if (!transferEncoding.Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                rejection = new HttpRejection(501, "unsupported Transfer-Encoding");
                return true;
            }

            chunked = true;
        }

        head = new RequestHead
        {
            Method = method,
            Target = target,
            MinorVersion = minor,
            Headers = headers,
            ContentLength = contentLength,
            Chunked = chunked,
            KeepAlive = minor == 1 ? !close : keepAliveToken && !close,
            ExpectContinue = expectContinue,
        };
        return true;
    }

    public static bool BuildResponse(int status, string reason, int minor, List<HeaderField> headers, out ResponseHead? head, out HttpRejection? rejection)
    {
        head = null;
        rejection = null;
        long? contentLength = null;
        string? transferEncoding = null;
        var close = minor == 0;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryParseLength(value, out var length) || (contentLength is { } prior && prior != length))
                {
                    rejection = HttpRejection.BadRequest("invalid Content-Length in response");
                    return true;
                }

                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                transferEncoding = transferEncoding is null ? value : transferEncoding + "," + value;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (token.Equals("close", StringComparison.OrdinalIgnoreCase))
                        close = true;
                    else if (token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) && minor == 0)
                        close = false;
                }
            }
        }

        var chunked = false;
        if (transferEncoding is not null)
        {
            if (contentLength is not null || !transferEncoding.Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                rejection = HttpRejection.BadRequest("ambiguous or unsupported response framing");
                return true;
            }

            chunked = true;
        }

        head = new ResponseHead
        {
            Status = status,
            Reason = reason,
            MinorVersion = minor,
            Headers = headers,
            ContentLength = contentLength,
            Chunked = chunked,
            ConnectionClose = close,
        };
        return true;
    }

    private static bool TryParseLength(string value, out long length)
    {
        length = 0;
        if (value.Length is 0 or > 18)
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
                return false;
            length = (length * 10) + (c - '0');
        }

        return true;
    }
}
