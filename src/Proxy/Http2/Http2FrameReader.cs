using System.Buffers;
using System.IO.Pipelines;

namespace Nono.Proxy.Http2;

/// <summary>
/// Reads the client connection preface and then whole frames (RFC 9113 sections 3.4 and 4.1) from the
/// decrypted stream's pipe. A frame over the advertised maximum size ends the connection before its
/// payload is buffered; each payload is copied into one reused buffer of that size.
/// </summary>
internal sealed class Http2FrameReader(PipeReader reader, int maxFrameSize)
{
    private readonly byte[] _payload = new byte[maxFrameSize];

    public async ValueTask ReadPrefaceAsync(CancellationToken ct)
    {
        var head = new byte[FrameHeader.Preface.Length];
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var n = (int)Math.Min(buffer.Length, FrameHeader.Preface.Length);
            buffer.Slice(0, n).CopyTo(head);
            if (!head.AsSpan(0, n).SequenceEqual(FrameHeader.Preface[..n]))
            {
                reader.AdvanceTo(buffer.End);
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "the client did not send the HTTP/2 connection preface");
            }

            if (n == FrameHeader.Preface.Length)
            {
                reader.AdvanceTo(buffer.GetPosition(n));
                return;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                throw new IOException("connection closed inside the preface");
        }
    }

    /// <summary>Hands every frame to <paramref name="onFrame"/> in order until the client closes; the payload is valid only during the call.</summary>
    public async ValueTask RunAsync(Func<FrameHeader, Memory<byte>, ValueTask> onFrame, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (TryReadFrame(ref buffer, out var header))
                    await onFrame(header, _payload.AsMemory(0, header.Length)).ConfigureAwait(false);
            }
            catch
            {
                // Leave the reader usable for draining after a GOAWAY.
                reader.AdvanceTo(result.Buffer.End);
                throw;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                return;
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out FrameHeader header)
    {
        header = default;
        if (buffer.Length < FrameHeader.Size)
            return false;
        Span<byte> raw = stackalloc byte[FrameHeader.Size];
        buffer.Slice(0, FrameHeader.Size).CopyTo(raw);
        header = FrameHeader.Read(raw);
        if (header.Length > _payload.Length)
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, $"{header.Type} frame of {header.Length} octets exceeds the {_payload.Length} allowed");
        if (buffer.Length < FrameHeader.Size + header.Length)
            return false;
        buffer.Slice(FrameHeader.Size, header.Length).CopyTo(_payload);
        buffer = buffer.Slice(FrameHeader.Size + header.Length);
        return true;
    }
}
