namespace Nono.Proxy.Http;

/// <summary>A parsed HTTP/1.x response head from an upstream.</summary>
internal sealed class ResponseHead
{
    public required int Status { get; init; }

    public required string Reason { get; init; }

    public required int MinorVersion { get; init; }

    public required List<HeaderField> Headers { get; init; }

    public long? ContentLength { get; init; }

    public bool Chunked { get; init; }

    /// <summary>The upstream will close the connection after this response (Connection: close, or HTTP/1.0).</summary>
    public bool ConnectionClose { get; init; }
}
