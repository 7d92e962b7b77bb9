using System.Buffers;

namespace Nono.Proxy.Http;

/// <summary>
/// Incremental decoder for a chunked body: each call takes framing bytes off the front of the buffer
/// and hands back the next run of payload bytes, without copying them.
/// </summary>
internal struct ChunkedDecoder(HttpLimits limits)
{
    private enum State { Size, Data, DataEnd, Trailer, Done }

    private State _state;
    private long _chunkRemaining;
    private int _trailerBytes;

    public readonly bool IsDone => _state == State.Done;

    /// <summary>Returns false when more input is needed; <paramref name="data"/> may be non-empty either way.</summary>
    public bool Next(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> data)
    {
        data = default;
        while (true)
        {
            switch (_state)
            {
                case State.Size:
                    if (!TryReadLine(ref buffer, limits.MaxChunkLine, out var line))
                        return false;
                    _chunkRemaining = ParseSize(line);
                    _state = _chunkRemaining == 0 ? State.Trailer : State.Data;
                    break;

                case State.Data:
                    if (buffer.IsEmpty)
                        return false;
                    var take = Math.Min(_chunkRemaining, buffer.Length);
                    data = buffer.Slice(0, take);
                    buffer = buffer.Slice(take);
                    _chunkRemaining -= take;
                    if (_chunkRemaining == 0)
                        _state = State.DataEnd;
                    return true;

                case State.DataEnd:
                    if (buffer.Length < 2)
                        return false;
                    var reader = new SequenceReader<byte>(buffer);
                    if (!reader.IsNext("\r\n"u8))
                        throw new HttpFramingException("chunk data not followed by CRLF");
                    buffer = buffer.Slice(2);
                    _state = State.Size;
                    break;

                case State.Trailer:
                    // Trailer fields are read and dropped: nothing downstream needs them.
                    if (!TryReadLine(ref buffer, limits.MaxTrailerBytes, out var trailer))
                        return false;
                    _trailerBytes += (int)trailer.Length + 2;
                    if (_trailerBytes > limits.MaxTrailerBytes)
                        throw new HttpFramingException("trailer section too large");
                    if (trailer.IsEmpty)
                    {
                        _state = State.Done;
                        return true;
                    }

                    break;

                case State.Done:
                    return true;
            }
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, int max, out ReadOnlySequence<byte> line)
    {
        line = default;
        var lf = buffer.PositionOf((byte)'\n');
        if (lf is null)
        {
            if (buffer.Length > max)
                throw new HttpFramingException("chunk line too long");
            return false;
        }

        var withCr = buffer.Slice(0, lf.Value);
        if (withCr.Length > max)
            throw new HttpFramingException("chunk line too long");
        if (withCr.IsEmpty || withCr.Slice(withCr.Length - 1).FirstSpan[0] != '\r')
            throw new HttpFramingException("chunk line not terminated by CRLF");
        line = withCr.Slice(0, withCr.Length - 1);
        buffer = buffer.Slice(buffer.GetPosition(1, lf.Value));
        return true;
    }

    private static long ParseSize(in ReadOnlySequence<byte> line)
    {
        long size = 0;
        var digits = 0;
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is (byte)';' or (byte)' ' or (byte)'\t')
                    return Finish(size, digits);
                var value = HexValue(b);
                if (value < 0 || ++digits > 15)
                    throw new HttpFramingException("invalid chunk size");
                size = (size << 4) | (uint)value;
            }
        }

        return Finish(size, digits);
    }

    private static long Finish(long size, int digits) =>
        digits == 0 ? throw new HttpFramingException("invalid chunk size") : size;

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
