namespace Nono.Proxy.Http2;

/// <summary>A connection error (RFC 9113 section 5.4.1): the connection ends with GOAWAY carrying <see cref="Code"/>.</summary>
internal sealed class Http2ConnectionException(Http2ErrorCode code, string message) : Exception(message)
{
    public Http2ErrorCode Code { get; } = code;
}

/// <summary>A stream error (RFC 9113 section 5.4.2): the stream is reset with <see cref="Code"/>, the connection goes on.</summary>
internal sealed class Http2StreamException(int streamId, Http2ErrorCode code, string message) : Exception(message)
{
    public int StreamId { get; } = streamId;

    public Http2ErrorCode Code { get; } = code;
}
