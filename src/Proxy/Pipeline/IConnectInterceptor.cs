namespace Nono.Proxy.Pipeline;

/// <summary>
/// The TLS interception step of a CONNECT tunnel. When <see cref="ShouldIntercept"/> says so, the
/// CONNECT handler answers 200, hands the client stream to <see cref="AcceptAsync"/> (which terminates
/// TLS with a certificate for the host) and runs the ordinary request loop over the decrypted stream,
/// with the tunnel's host as the implicit origin; requests go upstream over TLS through the pooled client.
/// </summary>
internal interface IConnectInterceptor : IAsyncDisposable
{
    /// <summary>Path of the trust bundle clients must trust, once written; null after it is deleted.</summary>
    string? CaPath { get; }

    bool ShouldIntercept(string host, int port);

    /// <summary>Performs the server side of the TLS handshake on <paramref name="client"/> and returns the decrypted stream.</summary>
    /// <exception cref="InterceptRefusedException">The handshake failed; the client stream has been disposed.</exception>
    ValueTask<Stream> AcceptAsync(Stream client, string host, int port, CancellationToken ct);

    /// <summary>Deletes the trust bundle (at shutdown); connections already intercepted keep working.</summary>
    void DeleteTrustBundle();
}

/// <summary>
/// Serves an intercepted tunnel once the client has been told it is open (CONNECT's 200, SOCKS5's
/// success reply): the TLS handshake, then the request loop over the decrypted stream. The dispatcher
/// hands it to the SOCKS5 front, so both tunnel kinds get the one implementation.
/// </summary>
internal delegate ValueTask InterceptedTunnelServer(ProxyRuntime runtime, ClientConnection client, IConnectInterceptor interceptor, string host, int port, CancellationToken ct);
