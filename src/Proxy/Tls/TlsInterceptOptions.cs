using System.Net.Security;

namespace Nono.Proxy.Tls;

/// <summary>How <see cref="TlsInterceptor"/> talks to clients.</summary>
internal sealed record TlsInterceptOptions
{
    /// <summary>
    /// ALPN protocols offered to clients, in preference order. HTTP/1.1 only by default; the session
    /// interceptor offers h2 first when <see cref="TlsInterceptConfig.Http2"/> is on (the CONNECT handler
    /// runs the HTTP/2 front end when the client picks it).
    /// </summary>
    public IReadOnlyList<SslApplicationProtocol> ApplicationProtocols { get; init; } = [SslApplicationProtocol.Http11];

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait, after the handshake, for the client's first bytes (which prove it accepted the certificate).</summary>
    public TimeSpan FirstRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Size of the buffer for that first read.</summary>
    public int FirstReadBufferSize { get; init; } = 4096;
}
