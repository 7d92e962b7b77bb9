namespace Nono.Proxy.Http;

/// <summary>Size limits applied to every request head the proxy parses.</summary>
internal sealed record HttpLimits
{
    public static readonly HttpLimits Default = new();

    /// <summary>Longest request line (method, target, version); longer is answered 414.</summary>
    public int MaxRequestLine { get; init; } = 8 * 1024;

    /// <summary>Largest whole head (request line plus headers); larger is answered 431.</summary>
    public int MaxHeaderBytes { get; init; } = 32 * 1024;

    public int MaxHeaderCount { get; init; } = 128;

    /// <summary>Longest chunk-size line (with extensions) in a chunked body.</summary>
    public int MaxChunkLine { get; init; } = 1024;

    /// <summary>Largest trailer section accepted (and dropped) after the last chunk.</summary>
    public int MaxTrailerBytes { get; init; } = 8 * 1024;
}
