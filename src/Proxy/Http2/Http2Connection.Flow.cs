using System.Buffers;
using System.Buffers.Binary;

namespace Nono.Proxy.Http2;

/// <summary>Flow control (RFC 9113 section 5.2) in both directions, under one lock.</summary>
internal sealed partial class Http2Connection
{
    private readonly Lock _flow = new();
    private TaskCompletionSource _windowChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // What the client may still send on the connection, and consumed octets not yet returned to it.
    private long _receiveWindow;
    private long _pendingConnectionCredit;

    // What the proxy may still send on the connection, and the client's SETTINGS_INITIAL_WINDOW_SIZE.
    private long _sendWindow = 65_535;
    private int _peerInitialWindow = 65_535;

    private async ValueTask OnDataAsync(FrameHeader header, Memory<byte> payload)
    {
        RequireStream(header);
        if (header.StreamId > Volatile.Read(ref _lastStreamId))
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "DATA on an idle stream");

        var length = header.Length;
        var data = UnpadRange(header, payload);
        if (data.IsEmpty && !header.Has(FrameFlags.EndStream))
            Calm(_controlFrames, "empty DATA");

        _streams.TryGetValue(header.StreamId, out var stream);
        var accepted = false;
        string? streamError = null;
        lock (_flow)
        {
            if (length > _receiveWindow)
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "DATA beyond the connection's flow-control window");
            _receiveWindow -= length;

            if (stream is { Reset: false, RemoteClosed: false, CreditClosed: false })
            {
                if (length > stream.ReceiveWindow)
                {
                    streamError = "DATA beyond the stream's flow-control window";
                }
                else
                {
                    stream.ReceiveWindow -= length;
                    stream.Received += data.Length;
                    if (stream.DeclaredLength is { } declared && stream.Received > declared)
                    {
                        streamError = "request body longer than its content-length";
                    }
                    else
                    {
                        // Padding is consumed at once; the data when the handler reads it.
                        stream.Unconsumed += data.Length;
                        accepted = true;
                    }
                }
            }
        }

        if (!accepted)
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
            lock (_flow)
            {
                _sendWindow += increment;
                if (_sendWindow > FrameHeader.MaxWindow)
                    throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "connection window above 2^31-1");
            }
        }
        else
        {
            if (header.StreamId > Volatile.Read(ref _lastStreamId))
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE on an idle stream");
            if (increment == 0)
                throw new Http2StreamException(header.StreamId, Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with increment 0");
            if (!_streams.TryGetValue(header.StreamId, out var stream))
                return;
            lock (_flow)
            {
                stream.SendWindow += increment;
                if (stream.SendWindow > FrameHeader.MaxWindow)
                    throw new Http2StreamException(header.StreamId, Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
            }
        }

        SignalWindows();
    }

    private void ChangeInitialSendWindow(int value)
    {
        lock (_flow)
        {
            var delta = value - _peerInitialWindow;
            _peerInitialWindow = value;
            foreach (var stream in _streams.Values)
            {
                stream.SendWindow += delta;
                if (stream.SendWindow > FrameHeader.MaxWindow)
                    throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
            }
        }

        SignalWindows();
    }

    /// <summary>Wakes every sender waiting for window (after WINDOW_UPDATE, SETTINGS, resets and at close).</summary>
    private void SignalWindows()
    {
        TaskCompletionSource old;
        lock (_flow)
        {
            old = _windowChanged;
            _windowChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    /// <summary>Waits until both windows allow sending, then takes up to <paramref name="wanted"/> octets (at most one frame) of them.</summary>
    internal async ValueTask<int> ReserveSendAsync(Http2Stream stream, int wanted, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_flow)
            {
                if (stream.Reset || _closed.IsCancellationRequested)
                    throw new IOException("the stream was reset or the connection ended");
                var n = (int)Math.Min(Math.Min(wanted, _writer.PeerMaxFrameSize), Math.Min(stream.SendWindow, _sendWindow));
                if (n > 0)
                {
                    stream.SendWindow -= n;
                    _sendWindow -= n;
                    return n;
                }

                changed = _windowChanged.Task;
            }

            // A head written without a flush must reach the client before waiting on it for window.
            await _writer.FlushPendingAsync().ConfigureAwait(false);
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The handler consumed <paramref name="count"/> request-body octets: return them to the client when enough have gathered.</summary>
    internal ValueTask ConsumedAsync(Http2Stream stream, int count) => CreditAsync(stream, count);

    /// <summary>A finished stream's unread body octets go back to the connection window.</summary>
    private ValueTask ReturnUnconsumedAsync(Http2Stream stream)
    {
        long leftover;
        lock (_flow)
        {
            stream.CreditClosed = true;
            leftover = stream.Unconsumed;
            stream.Unconsumed = 0;
        }

        return leftover > 0 ? CreditAsync(null, (int)leftover) : ValueTask.CompletedTask;
    }

    private async ValueTask CreditAsync(Http2Stream? stream, int count, bool padding = false)
    {
        int streamIncrement = 0, connectionIncrement = 0;
        lock (_flow)
        {
            if (stream is not null)
            {
                if (stream.CreditClosed)
                    return; // already returned with the stream's leftovers
                if (!padding)
                    stream.Unconsumed -= count;
                stream.PendingCredit += count;
                if (!stream.RemoteClosed && stream.PendingCredit >= _limits.StreamWindow / 2)
                {
                    streamIncrement = (int)stream.PendingCredit;
                    stream.ReceiveWindow += streamIncrement;
                    stream.PendingCredit = 0;
                }
            }

            _pendingConnectionCredit += count;
            if (_pendingConnectionCredit >= _limits.ConnectionWindow / 4)
            {
                connectionIncrement = (int)_pendingConnectionCredit;
                _receiveWindow += connectionIncrement;
                _pendingConnectionCredit = 0;
            }
        }

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
