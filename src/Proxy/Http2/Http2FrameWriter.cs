using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Nono.Proxy.Http2;

/// <summary>
/// The one writer of a connection's frames. Every frame (and every HEADERS with its CONTINUATIONs) is
/// written and flushed under one lock, so concurrent streams interleave whole frames only. Flow control
/// is the caller's business: DATA is written only after the window has been reserved.
/// </summary>
internal sealed class Http2FrameWriter(PipeWriter output, CancellationToken connectionClosed)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile bool _failed;

    /// <summary>The client's SETTINGS_MAX_FRAME_SIZE: no frame we send may be larger.</summary>
    public int PeerMaxFrameSize { get; set; } = FrameHeader.DefaultMaxFrameSize;

    public ValueTask WriteSettingsAsync(IReadOnlyList<(SettingId Id, uint Value)> settings)
    {
        var payload = new byte[settings.Count * 6];
        for (var i = 0; i < settings.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * 6), (ushort)settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan((i * 6) + 2), settings[i].Value);
        }

        return WriteAsync(FrameType.Settings, 0, 0, payload);
    }

    public ValueTask WriteSettingsAckAsync() => WriteAsync(FrameType.Settings, FrameFlags.Ack, 0, default);

    public ValueTask WritePingAckAsync(byte[] opaque) => WriteAsync(FrameType.Ping, FrameFlags.Ack, 0, opaque);

    public ValueTask WriteWindowUpdateAsync(int streamId, int increment)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)increment);
        return WriteAsync(FrameType.WindowUpdate, 0, streamId, payload);
    }

    public ValueTask WriteRstStreamAsync(int streamId, Http2ErrorCode code)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)code);
        return WriteAsync(FrameType.RstStream, 0, streamId, payload);
    }

    public ValueTask WriteGoAwayAsync(int lastStreamId, Http2ErrorCode code, string debug)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(debug);
        var payload = new byte[8 + Math.Min(text.Length, 256)];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), (uint)code);
        text.AsSpan(0, payload.Length - 8).CopyTo(payload.AsSpan(8));
        return WriteAsync(FrameType.GoAway, 0, 0, payload);
    }

    public ValueTask WriteDataAsync(int streamId, ReadOnlyMemory<byte> data, bool endStream) =>
        WriteAsync(FrameType.Data, endStream ? FrameFlags.EndStream : (byte)0, streamId, data);

    /// <summary>
    /// Writes a header block as HEADERS plus as many CONTINUATIONs as the client's frame size needs, back to
    /// back. Without <paramref name="flush"/> the frames wait for the next flush (the response's first DATA).
    /// </summary>
    public async ValueTask WriteHeadersAsync(int streamId, ReadOnlyMemory<byte> block, bool endStream, bool flush = true)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            var max = PeerMaxFrameSize;
            var first = true;
            do
            {
                var take = Math.Min(block.Length, max);
                var last = take == block.Length;
                var flags = (byte)((last ? FrameFlags.EndHeaders : 0) | (first && endStream ? FrameFlags.EndStream : 0));
                Frame(first ? FrameType.Headers : FrameType.Continuation, flags, streamId, block.Span[..take]);
                block = block[take..];
                first = false;
            }
            while (!block.IsEmpty);
            if (flush)
                await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends whatever frames are waiting unflushed.</summary>
    public async ValueTask FlushPendingAsync()
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask WriteAsync(FrameType type, byte flags, int streamId, ReadOnlyMemory<byte> payload)
    {
        await EnterAsync().ConfigureAwait(false);
        try
        {
            Frame(type, flags, streamId, payload.Span);
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Refuses further frames and waits (bounded) for a frame being written to finish, so that the
    /// transport is not completed under a write still in flight. A write stuck on a client that does not
    /// read is left to the transport's disposal to abort.
    /// </summary>
    public async ValueTask QuiesceAsync(TimeSpan bound)
    {
        _failed = true;
        if (await _lock.WaitAsync(bound).ConfigureAwait(false))
            _lock.Release();
    }

    private async ValueTask EnterAsync()
    {
        if (_failed)
            throw new IOException("the HTTP/2 connection can no longer be written to");
        await _lock.WaitAsync(connectionClosed).ConfigureAwait(false);
        if (_failed)
        {
            _lock.Release();
            throw new IOException("the HTTP/2 connection can no longer be written to");
        }
    }

    private void Frame(FrameType type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(FrameHeader.Size + payload.Length);
        new FrameHeader(payload.Length, type, flags, streamId).Write(span);
        payload.CopyTo(span[FrameHeader.Size..]);
        output.Advance(FrameHeader.Size + payload.Length);
    }

    private async ValueTask FlushAsync()
    {
        try
        {
            var result = await output.FlushAsync(connectionClosed).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
                throw new IOException("the client connection is closed");
        }
        catch
        {
            _failed = true;
            throw;
        }
    }
}
