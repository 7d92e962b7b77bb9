using System.Buffers.Binary;

namespace Nono.Proxy.Http2;

internal sealed partial class Http2Connection
{
    // The header block being assembled from HEADERS and CONTINUATION frames (read loop only).
    private byte[] _headerBlock = new byte[4096];
    private int _headerBlockLength;
    private int _headerStreamId;
    private bool _headerEndStream;
    private int _continuations;

    private async ValueTask OnFrameAsync(FrameHeader header, Memory<byte> payload)
    {
        if (!_settingsReceived && header.Type != FrameType.Settings)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "the first frame was not SETTINGS");
        if (_headerStreamId != 0 && header.Type != FrameType.Continuation)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{header.Type} frame inside a header block");

        try
        {
            switch (header.Type)
            {
                case FrameType.Data:
                    await OnDataAsync(header, payload).ConfigureAwait(false);
                    break;
                case FrameType.Headers:
                    await OnHeadersAsync(header, payload).ConfigureAwait(false);
                    break;
                case FrameType.Continuation:
                    await OnContinuationAsync(header, payload).ConfigureAwait(false);
                    break;
                case FrameType.Priority:
                    RequireStream(header);
                    Calm(_controlFrames, "PRIORITY");
                    if (header.Length != 5)
                        throw new Http2StreamException(header.StreamId, Http2ErrorCode.FrameSizeError, "PRIORITY frame must be 5 octets");
                    break;
                case FrameType.RstStream:
                    OnRstStream(header, payload);
                    break;
                case FrameType.Settings:
                    await OnSettingsAsync(header, payload).ConfigureAwait(false);
                    break;
                case FrameType.PushPromise:
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "clients must not send PUSH_PROMISE");
                case FrameType.Ping:
                    await OnPingAsync(header, payload).ConfigureAwait(false);
                    break;
                case FrameType.GoAway:
                    OnGoAway(header);
                    break;
                case FrameType.WindowUpdate:
                    OnWindowUpdate(header, payload);
                    break;
                default:
                    // Unknown frame types are ignored (RFC 9113 section 4.1), but not without limit.
                    Calm(_controlFrames, "unknown frame type");
                    break;
            }
        }
        catch (Http2StreamException e)
        {
            await ResetFromServerAsync(e.StreamId, e.Code).ConfigureAwait(false);
        }
    }

    private async ValueTask OnHeadersAsync(FrameHeader header, Memory<byte> payload)
    {
        RequireStream(header);
        if ((header.StreamId & 1) == 0)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "client stream identifiers must be odd");

        var fragment = Unpad(header, payload.Span);
        if (header.Has(FrameFlags.Priority))
        {
            if (fragment.Length < 5)
                throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "HEADERS frame too short for its priority fields");
            fragment = fragment[5..];
        }

        if (fragment.IsEmpty && !header.Has(FrameFlags.EndStream))
            Calm(_controlFrames, "empty HEADERS");
        _headerBlockLength = 0;
        _continuations = 0;
        _headerEndStream = header.Has(FrameFlags.EndStream);
        Append(fragment);
        if (header.Has(FrameFlags.EndHeaders))
            await OnHeaderBlockAsync(header.StreamId).ConfigureAwait(false);
        else
            _headerStreamId = header.StreamId;
    }

    private async ValueTask OnContinuationAsync(FrameHeader header, Memory<byte> payload)
    {
        if (_headerStreamId == 0 || header.StreamId != _headerStreamId)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "CONTINUATION frame without a header block to continue");
        if (++_continuations > _limits.MaxContinuationFrames)
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, "too many CONTINUATION frames in one header block");
        Append(payload.Span);
        if (!header.Has(FrameFlags.EndHeaders))
            return;
        var id = _headerStreamId;
        _headerStreamId = 0;
        await OnHeaderBlockAsync(id).ConfigureAwait(false);
    }

    private void Append(ReadOnlySpan<byte> fragment)
    {
        if (_headerBlockLength + fragment.Length > _limits.MaxHeaderBlockBytes)
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, $"header block larger than {_limits.MaxHeaderBlockBytes} octets");
        if (_headerBlockLength + fragment.Length > _headerBlock.Length)
            Array.Resize(ref _headerBlock, Math.Min(_limits.MaxHeaderBlockBytes, Math.Max(_headerBlock.Length * 2, _headerBlockLength + fragment.Length)));
        fragment.CopyTo(_headerBlock.AsSpan(_headerBlockLength));
        _headerBlockLength += fragment.Length;
    }

    private void OnRstStream(FrameHeader header, Memory<byte> payload)
    {
        RequireStream(header);
        if (header.Length != 4)
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "RST_STREAM frame must be 4 octets");
        if (header.StreamId > _streams.LastStreamId)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "RST_STREAM on an idle stream");

        // Rapid reset: opening streams only to cancel them makes the proxy start work it then throws away.
        Calm(_resets, "RST_STREAM");
        if (_streams.TryGet(header.StreamId, out var stream))
            ResetByClient(stream);
    }

    private async ValueTask OnSettingsAsync(FrameHeader header, Memory<byte> payload)
    {
        if (header.StreamId != 0)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS on a stream");
        if (header.Has(FrameFlags.Ack))
        {
            if (header.Length != 0)
                throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "SETTINGS acknowledgement with a payload");
            return;
        }

        if (header.Length % 6 != 0)
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "SETTINGS payload not a multiple of 6 octets");
        if (_settingsReceived)
            Calm(_controlFrames, "SETTINGS");

        for (var i = 0; i < header.Length; i += 6)
        {
            var id = (SettingId)BinaryPrimitives.ReadUInt16BigEndian(payload.Span[i..]);
            var value = BinaryPrimitives.ReadUInt32BigEndian(payload.Span[(i + 2)..]);
            switch (id)
            {
                case SettingId.EnablePush when value > 1:
                    throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_ENABLE_PUSH must be 0 or 1");
                case SettingId.InitialWindowSize:
                    if (value > FrameHeader.MaxWindow)
                        throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                    _flow.ChangeInitialSendWindow((int)value, _streams.Open);
                    break;
                case SettingId.MaxFrameSize:
                    if (value is < FrameHeader.DefaultMaxFrameSize or > 16_777_215)
                        throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "SETTINGS_MAX_FRAME_SIZE out of range");
                    _writer.PeerMaxFrameSize = (int)value;
                    break;
            }
        }

        if (!_settingsReceived)
        {
            _settingsReceived = true;
            ArmIdle();
        }

        await _writer.WriteSettingsAckAsync().ConfigureAwait(false);
    }

    private async ValueTask OnPingAsync(FrameHeader header, Memory<byte> payload)
    {
        if (header.StreamId != 0)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "PING on a stream");
        if (header.Length != 8)
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "PING payload must be 8 octets");
        if (header.Has(FrameFlags.Ack))
            return;
        Calm(_controlFrames, "PING");
        await _writer.WritePingAckAsync(payload.ToArray()).ConfigureAwait(false);
    }

    private void OnGoAway(FrameHeader header)
    {
        if (header.StreamId != 0)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, "GOAWAY on a stream");
        if (header.Length < 8)
            throw new Http2ConnectionException(Http2ErrorCode.FrameSizeError, "GOAWAY frame shorter than 8 octets");

        // The client opens no more streams; those running finish, then the connection closes.
        _clientGoAway = true;
        if (_streams.Active == 0)
            Close();
    }

    private static Span<byte> Unpad(FrameHeader header, Span<byte> payload)
    {
        if (!header.Has(FrameFlags.Padded))
            return payload;
        if (payload.Length < 1 || payload[0] >= payload.Length)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{header.Type} padding longer than the frame");
        return payload[1..^payload[0]];
    }

    private static void RequireStream(FrameHeader header)
    {
        if (header.StreamId == 0)
            throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"{header.Type} frame on stream 0");
    }

    private static void Calm(FloodGuard guard, string what)
    {
        if (!guard.TryTake())
            throw new Http2ConnectionException(Http2ErrorCode.EnhanceYourCalm, $"too many {what} frames");
    }
}
