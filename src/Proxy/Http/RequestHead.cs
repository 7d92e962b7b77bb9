namespace Nono.Proxy.Http;

internal readonly record struct HeaderField(string Name, string Value);

/// <summary>A parsed HTTP/1.x request head, with the framing facts the proxy needs already derived.</summary>
internal sealed class RequestHead
{
    public required string Method { get; init; }

    /// <summary>The request target exactly as sent: origin-form, absolute-form or authority-form.</summary>
    public required string Target { get; init; }

    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public required int MinorVersion { get; init; }

    public required List<HeaderField> Headers { get; init; }

    public long? ContentLength { get; init; }

    public bool Chunked { get; init; }

    public bool KeepAlive { get; init; }

    public bool ExpectContinue { get; init; }

    public bool HasBody => Chunked || ContentLength > 0;

    public bool IsConnect => ReferenceEquals(Method, "CONNECT") || Method == "CONNECT";

    public string? Get(string name)
    {
        foreach (var h in Headers)
        {
            if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return h.Value;
        }

        return null;
    }
}
