namespace Nono.Proxy.Http;

/// <summary>Derives body framing and connection persistence from parsed header fields.</summary>
internal static class HeadBuilder
{
    public static bool Build(string method, string target, int minor, List<HeaderField> headers, out RequestHead? head, out HttpRejection? rejection)
    {
        head = null;
        rejection = null;
        var framing = default(BodyFraming);
        var hosts = 0;
        var close = false;
        var keepAliveToken = false;
        var expectContinue = false;

        foreach (var (name, value) in headers)
        {
            if (framing.Observe(name, value))
            {
                continue;
            }

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
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

        if (framing.InvalidLength)
        {
            rejection = HttpRejection.BadRequest("invalid Content-Length");
            return true;
        }

        if (hosts > 1)
        {
            rejection = HttpRejection.BadRequest("more than one Host header");
            return true;
        }

        if (framing.HasTransferEncoding)
        {
            if (framing.ContentLength is not null || minor == 0)
            {
                // Both framings at once is the classic request-smuggling vector: refuse rather than pick one.
                rejection = HttpRejection.BadRequest("Transfer-Encoding with Content-Length or in HTTP/1.0");
                return true;
            }

            if (!framing.IsChunkedOnly)
            {
                rejection = new HttpRejection(501, "unsupported Transfer-Encoding");
                return true;
            }
        }

        head = new RequestHead
        {
            Method = method,
            Target = target,
            MinorVersion = minor,
            Headers = headers,
            ContentLength = framing.ContentLength,
            Chunked = framing.HasTransferEncoding,
            KeepAlive = minor == 1 ? !close : keepAliveToken && !close,
            ExpectContinue = expectContinue,
        };
        return true;
    }

    public static bool BuildResponse(int status, string reason, int minor, List<HeaderField> headers, out ResponseHead? head, out HttpRejection? rejection)
    {
        head = null;
        rejection = null;
        var framing = default(BodyFraming);
        var close = minor == 0;
        foreach (var (name, value) in headers)
        {
            if (framing.Observe(name, value))
            {
                continue;
            }

            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
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

        if (framing.InvalidLength)
        {
            rejection = HttpRejection.BadRequest("invalid Content-Length in response");
            return true;
        }

        if (framing.HasTransferEncoding && (framing.ContentLength is not null || !framing.IsChunkedOnly))
        {
            rejection = HttpRejection.BadRequest("ambiguous or unsupported response framing");
            return true;
        }

        head = new ResponseHead
        {
            Status = status,
            Reason = reason,
            MinorVersion = minor,
            Headers = headers,
            ContentLength = framing.ContentLength,
            Chunked = framing.HasTransferEncoding,
            ConnectionClose = close,
        };
        return true;
    }
}
