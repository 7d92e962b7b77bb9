using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>
/// A minted server certificate (with its in-memory key) and the context SslStream presents it with,
/// built offline against the session CA so no handshake ever waits on the network. The runtime leaves
/// the self-signed CA out of the chain it sends, as TLS allows; clients find it in the trust bundle.
/// </summary>
internal sealed class LeafCertificate : IDisposable
{
    public LeafCertificate(TlsHostName name, X509Certificate2 certificate, SslStreamCertificateContext context)
    {
        Name = name;
        Certificate = certificate;
        Context = context;
    }

    public TlsHostName Name { get; }

    /// <summary>The leaf, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The leaf and its chain, for <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/>.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>Server options presenting this leaf; <paramref name="applicationProtocols"/> is the ALPN list, in preference order.</summary>
    public SslServerAuthenticationOptions CreateServerOptions(IReadOnlyList<SslApplicationProtocol> applicationProtocols) => new()
    {
        ServerCertificateContext = Context,
        ApplicationProtocols = [.. applicationProtocols],
        ClientCertificateRequired = false,
        AllowRenegotiation = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    public void Dispose() => Certificate.Dispose();
}
