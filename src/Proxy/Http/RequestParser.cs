using System.Buffers;

namespace Nono.Proxy.Http;

/// <summary>
/// Parses an HTTP/1.x request head from a pipe's buffer. The head is only parsed once its terminating
/// empty line is in the buffer; until then the caller advances with consumed = start and examined = end,
/// so the pipe waits for more bytes instead of handing the same ones back. Strict on purpose: bare LF,
/// obsolete line folding, whitespace before a colon and ambiguous body framing are refused, because a
/// proxy that reads framing differently from the server behind it can be used to smuggle requests.
/// </summary>
internal static partial class RequestParser
{
    private static ReadOnlySpan<byte> Terminator => "\r\n\r\n"u8;

    /// <summary>False: more bytes are needed. True: either <paramref name="head"/> or <paramref name="rejection"/> is set.</summary>
    public static bool TryParse(
        in ReadOnlySequence<byte> input,
        HttpLimits limits,
        out SequencePosition consumed,
        out RequestHead? head,
        out HttpRejection? rejection)
    {
        var done = TryParseHead(input, limits, response: false, out consumed, out var parsed, out rejection);
        head = parsed as RequestHead;
        return done;
    }

    /// <summary>The same for a response head read from an upstream (same strictness, status line first).</summary>
    public static bool TryParseResponse(
        in ReadOnlySequence<byte> input,
        HttpLimits limits,
        out SequencePosition consumed,
        out ResponseHead? head,
        out HttpRejection? rejection)
    {
        var done = TryParseHead(input, limits, response: true, out consumed, out var parsed, out rejection);
        head = parsed as ResponseHead;
        return done;
    }

    private static bool TryParseHead(
        in ReadOnlySequence<byte> input,
        HttpLimits limits,
        bool response,
        out SequencePosition consumed,
        out object? head,
        out HttpRejection? rejection)
    {
        head = null;
        rejection = null;
        var buffer = SkipLeadingEmptyLines(input);
        consumed = buffer.Start;

        if (buffer.IsSingleSegment)
        {
            // Fast path: the whole head is usually in one segment.
            var span = buffer.FirstSpan;
            var end = span.IndexOf(Terminator);
            if (end >= 0)
            {
                consumed = buffer.GetPosition(end + Terminator.Length);
                return ParseComplete(span[..(end + 2)], limits, response, out head, out rejection);
            }
        }
        else
        {
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> block, Terminator, advancePastDelimiter: true))
            {
                consumed = reader.Position;
                var length = checked((int)Math.Min(block.Length + 2, limits.MaxHeaderBytes + 1L));
                if (block.Length + 2 > limits.MaxHeaderBytes)
                {
                    rejection = FirstLineTooLong(buffer, limits) ? HttpRejection.UriTooLong : HttpRejection.HeadersTooLarge;
                    return true;
                }

                var rented = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    block.CopyTo(rented);
                    rented[length - 2] = (byte)'\r';
                    rented[length - 1] = (byte)'\n';
                    return ParseComplete(rented.AsSpan(0, length), limits, response, out head, out rejection);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        rejection = CheckIncomplete(buffer, limits);
        return rejection is not null;
    }

    private static ReadOnlySequence<byte> SkipLeadingEmptyLines(ReadOnlySequence<byte> buffer)
    {
        // RFC 9112 section 2.2: ignore empty lines received before the request line.
        while (buffer.Length >= 2 && buffer.FirstSpan.Length >= 2 && buffer.FirstSpan[0] == '\r' && buffer.FirstSpan[1] == '\n')
            buffer = buffer.Slice(2);
        return buffer;
    }

    private static HttpRejection? CheckIncomplete(in ReadOnlySequence<byte> buffer, HttpLimits limits)
    {
        if (FirstLineTooLong(buffer, limits))
            return HttpRejection.UriTooLong;
        if (buffer.Length > limits.MaxHeaderBytes)
            return HttpRejection.HeadersTooLarge;
        if (HasBareLineFeed(buffer))
            return HttpRejection.BadRequest("line not terminated by CRLF");
        return null;
    }

    private static bool FirstLineTooLong(in ReadOnlySequence<byte> buffer, HttpLimits limits)
    {
        var newline = buffer.PositionOf((byte)'\n');
        var lineLength = newline is null ? buffer.Length : buffer.Slice(0, newline.Value).Length;
        return lineLength > limits.MaxRequestLine + 1;
    }

    private static bool HasBareLineFeed(in ReadOnlySequence<byte> buffer)
    {
        byte previous = 0;
        foreach (var segment in buffer)
        {
            var span = segment.Span;
            for (var i = span.IndexOf((byte)'\n'); i >= 0; i = NextIndex(span, i))
            {
                var before = i > 0 ? span[i - 1] : previous;
                if (before != '\r')
                    return true;
            }

            if (span.Length > 0)
                previous = span[^1];
        }

        return false;
    }

    private static int NextIndex(ReadOnlySpan<byte> span, int i)
    {
        var next = span[(i + 1)..].IndexOf((byte)'\n');
        return next < 0 ? -1 : i + 1 + next;
    }
}
