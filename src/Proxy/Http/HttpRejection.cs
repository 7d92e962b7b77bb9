namespace Nono.Proxy.Http;

/// <summary>Why a request head or body was refused; the status code is what the client gets.</summary>
internal readonly record struct HttpRejection(int Status, string Reason)
{
    public static HttpRejection BadRequest(string reason) => new(400, reason);

    public static HttpRejection UriTooLong => new(414, "request line too long");

    public static HttpRejection HeadersTooLarge => new(431, "request header block too large");
}

/// <summary>Thrown by body decoding when the framing sent by a peer is invalid.</summary>
internal sealed class HttpFramingException(string message) : Exception(message);
