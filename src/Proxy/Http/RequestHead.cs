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

    /// <summary>An HTTP/2 request whose body runs to the end of its stream, with no declared length.</summary>
    public bool BodyUntilEnd { get; init; }

    public bool HasBody => Chunked || ContentLength > 0 || BodyUntilEnd;

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
