using System.Net.Security;

namespace Nono.Proxy.Tls;

/// <summary>Why an intercepted handshake did not produce a usable connection.</summary>
internal enum TlsInterceptFailureKind
{
    /// <summary>The client aborted the handshake with a certificate alert (unknown CA, bad certificate...): it does not trust the session CA, or pins another key.</summary>
    ClientRejectedCertificate,

    /// <summary>
    /// The client closed the connection during the handshake, or right after it without sending a single
    /// byte. Clients that verify after the handshake (Node.js, GnuTLS-based curl and git, pinning libraries)
    /// refuse a certificate this way, so it is reported as a refusal too.
    /// </summary>
    ClientClosedConnection,

    /// <summary>The client's SNI names another host than the CONNECT target.</summary>
    SniMismatch,

    /// <summary>The CONNECT target is outside the session CA's name constraints, so no client would accept a leaf for it.</summary>
    NameNotPermitted,

    /// <summary>The CONNECT target is not a name or address a certificate can be issued for.</summary>
    InvalidHost,

    /// <summary>The handshake, or the first request after it, did not arrive in time.</summary>
    Timeout,

    /// <summary>Any other TLS failure (no common protocol version or cipher, malformed records).</summary>
    ProtocolError,
}

/// <summary>A refused or failed interception; <see cref="Detail"/> is safe for logs and audit events.</summary>
internal sealed record TlsInterceptFailure(TlsInterceptFailureKind Kind, string Detail)
{
    /// <summary>True when the client itself refused the session CA: audit this as "tls handshake refused by client".</summary>
    public bool RefusedByClient => Kind is TlsInterceptFailureKind.ClientRejectedCertificate or TlsInterceptFailureKind.ClientClosedConnection;

    /// <summary>A short reason for an audit event.</summary>
    public string AuditReason => Kind switch
    {
        TlsInterceptFailureKind.ClientRejectedCertificate or TlsInterceptFailureKind.ClientClosedConnection => "tls handshake refused by client",
        TlsInterceptFailureKind.SniMismatch => "tls sni does not match connect host",
        TlsInterceptFailureKind.NameNotPermitted => "tls host outside the session ca name constraints",
        TlsInterceptFailureKind.InvalidHost => "tls host is not a valid certificate name",
        TlsInterceptFailureKind.Timeout => "tls handshake timed out",
        _ => "tls handshake failed",
    };
}

/// <summary>
/// The outcome of <see cref="TlsInterceptor.AcceptAsync"/>: either an authenticated connection or a
/// failure, never a plain tunnel.
/// </summary>
internal sealed class TlsInterceptResult
{
    private TlsInterceptResult(SslStream? tls, Stream? stream, TlsInterceptFailure? failure)
    {
        Tls = tls;
        Stream = stream;
        Failure = failure;
    }

    /// <summary>The server side of the TLS session (protocol, cipher, SNI); null on failure.</summary>
    public SslStream? Tls { get; }

    /// <summary>
    /// The decrypted connection to read the client's requests from and write responses to. It replays the
    /// bytes read to prove the client accepted the certificate, then continues on <see cref="Tls"/>.
    /// Disposing it disposes the TLS session and the client connection. Null on failure.
    /// </summary>
    public Stream? Stream { get; }

    public TlsInterceptFailure? Failure { get; }

    public bool Succeeded => Failure is null;

    /// <summary>The ALPN protocol agreed with the client (empty when the client offered none).</summary>
    public SslApplicationProtocol ApplicationProtocol => Tls?.NegotiatedApplicationProtocol ?? default;

    internal static TlsInterceptResult Success(SslStream tls, Stream stream) => new(tls, stream, null);

    internal static TlsInterceptResult Failed(TlsInterceptFailureKind kind, string detail) => new(null, null, new TlsInterceptFailure(kind, detail));
}
