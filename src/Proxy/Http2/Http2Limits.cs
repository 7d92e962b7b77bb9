namespace Nono.Proxy.Http2;

/// <summary>What one HTTP/2 client connection may ask of the proxy.</summary>
internal sealed record Http2Limits
{
    public static readonly Http2Limits Default = new();

    /// <summary>Streams open at once (SETTINGS_MAX_CONCURRENT_STREAMS); more are refused with REFUSED_STREAM.</summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>What each stream may send before its body is consumed (SETTINGS_INITIAL_WINDOW_SIZE).</summary>
    public int StreamWindow { get; init; } = 256 * 1024;

    /// <summary>What the whole connection may send before bodies are consumed; bounds the request bytes buffered per connection.</summary>
    public int ConnectionWindow { get; init; } = 1024 * 1024;

    /// <summary>Largest frame payload accepted (SETTINGS_MAX_FRAME_SIZE).</summary>
    public int MaxFrameSize { get; init; } = FrameHeader.DefaultMaxFrameSize;

    /// <summary>Decoded header list size (SETTINGS_MAX_HEADER_LIST_SIZE); larger requests are answered 431.</summary>
    public int MaxHeaderListSize { get; init; } = 32 * 1024;

    /// <summary>Compressed header block (HEADERS plus CONTINUATIONs); larger ends the connection.</summary>
    public int MaxHeaderBlockBytes { get; init; } = 64 * 1024;

    /// <summary>CONTINUATION frames in one header block; more ends the connection (CONTINUATION flood).</summary>
    public int MaxContinuationFrames { get; init; } = 32;

    /// <summary>Dynamic table size the decoder allows (SETTINGS_HEADER_TABLE_SIZE).</summary>
    public int HeaderTableSize { get; init; } = 4096;

    /// <summary>Stream resets the client may send in a burst, refilled at <see cref="ResetsPerSecond"/> (rapid reset).</summary>
    public int ResetBurst { get; init; } = 200;

    public int ResetsPerSecond { get; init; } = 100;

    /// <summary>
    /// Frames that cost the proxy work but carry no request (PING, SETTINGS, empty DATA or header frames,
    /// PRIORITY, unknown types) allowed in a burst, refilled at <see cref="ControlFramesPerSecond"/>.
    /// </summary>
    public int ControlFrameBurst { get; init; } = 1000;

    public int ControlFramesPerSecond { get; init; } = 500;

    /// <summary>Time for the client's preface and first SETTINGS.</summary>
    public TimeSpan PrefaceTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
