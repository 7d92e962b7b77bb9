using System.Buffers;
using System.Buffers.Binary;

namespace Nono.Proxy.Http2;

/// <summary>DATA and WINDOW_UPDATE frames, and returning credit: the connection's side of <see cref="Http2FlowControl"/>.</summary>
internal sealed partial class Http2Connection
{
    private async ValueTask OnDataAsync(FrameHeader header, Memory<byte> payload)
    {
        RequireStream(header);
        if (_streams.IsIdle(header.StreamId))
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on an idle stream");

        var length = header.Length;
        var data = UnpadRange(header, payload);
        if (data.IsEmpty && !header.Has(FrameFlags.EndStream))
            Calm(_controlFrames, "empty DATA");

        _streams.TryGet(header.StreamId, out var stream);
        if (!_flow.AcceptData(stream, length, data.Length, out var streamError))
        {
            // Frames for a stream that is over still count against the connection window: give it back.
            await CreditAsync(null, length).ConfigureAwait(false);
            if (streamError is not null)
            {
                stream!.Body.Writer.Complete(new IOException(streamError));
                stream.RemoteClosed = true;
                throw new Http2StreamException(stream.Id, streamError.Contains("window", StringComparison.Ordinal) ? Http2ErrorCode.FlowControlError : Http2ErrorCode.ProtocolError, streamError);
            }

            if (stream is { Reset: false, RemoteClosed: true })
                throw new Http2StreamException(stream.Id, Http2ErrorCode.StreamClosed, "DATA after the end of the stream");
            return;
        }

        stream!.Body.Writer.Write(data.Span);
        await stream.Body.Writer.FlushAsync().ConfigureAwait(false);
        if (length > data.Length)
            await CreditAsync(stream, length - data.Length, padding: true).ConfigureAwait(false);
        if (header.Has(FrameFlags.EndStream))
            EndOfRequestBody(stream);
    }

    private static Memory<byte> UnpadRange(FrameHeader header, Memory<byte> payload)
    {
        var inner = Unpad(header, payload.Span);
        return inner.IsEmpty ? Memory<byte>.Empty : payload.Slice(header.Has(FrameFlags.Padded) ? 1 : 0, inner.Length);
    }

    private void OnWindowUpdate(FrameHeader header, Memory<byte> payload)
    {
        if (header.Length != 4)
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "WINDOW_UPDATE frame must be 4 octets");
        var increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload.Span) & 0x7FFF_FFFF);
        if (header.StreamId == 0)
        {
            if (increment == 0)
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with increment 0");
            _flow.AddConnectionSendWindow(increment);
            return;
        }

        if (_streams.IsIdle(header.StreamId))
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE on an idle stream");
        if (increment == 0)
            throw new Http2StreamException(header.StreamId, Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with increment 0");
        if (_streams.TryGet(header.StreamId, out var stream))
            _flow.AddStreamSendWindow(stream, increment);
    }

    /// <summary>Waits until both windows allow sending, then takes up to <paramref name="wanted"/> octets (at most one frame) of them.</summary>
    internal ValueTask<int> ReserveSendAsync(Http2Stream stream, int wanted, CancellationToken ct) =>
        _flow.ReserveAsync(stream, wanted, _writer.PeerMaxFrameSize, _closed.Token, _writer.FlushPendingAsync, ct);

    /// <summary>The handler consumed <paramref name="count"/> request-body octets: return them to the client when enough have gathered.</summary>
    internal ValueTask ConsumedAsync(Http2Stream stream, int count) => CreditAsync(stream, count);

    /// <summary>A finished stream's unread body octets go back to the connection window.</summary>
    private ValueTask ReturnUnconsumedAsync(Http2Stream stream)
    {
        var leftover = _flow.TakeLeftover(stream);
        return leftover > 0 ? CreditAsync(null, (int)leftover) : ValueTask.CompletedTask;
    }

    private async ValueTask CreditAsync(Http2Stream? stream, int count, bool padding = false)
    {
        var (streamIncrement, connectionIncrement) = _flow.TakeCredit(stream, count, padding);
        try
        {
            if (streamIncrement > 0)
                await _writer.WriteWindowUpdateAsync(stream!.Id, streamIncrement).ConfigureAwait(false);
            if (connectionIncrement > 0)
                await _writer.WriteWindowUpdateAsync(0, connectionIncrement).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
