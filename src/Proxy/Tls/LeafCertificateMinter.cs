using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>
/// Issues server certificates for one host each, signed by the session CA: ECDSA P-256, a DNS or IP
/// subjectAltName, serverAuth only, valid exactly as long as the CA.
/// </summary>
internal sealed class LeafCertificateMinter
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly SessionCertificateAuthority _ca;
    private readonly X509AuthorityKeyIdentifierExtension _authorityKeyIdentifier;
    private readonly X509Certificate2Collection _chain;

    public LeafCertificateMinter(SessionCertificateAuthority ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        _ca = ca;
        _authorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            ca.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false);
        _chain = [ca.Certificate];
    }

    /// <summary>
    /// Mints a leaf for <paramref name="name"/>. It does not consult the CA's name constraints: deciding
    /// whether to intercept a host is the caller's job (see <see cref="SessionCertificateAuthority.Permits"/>).
    /// </summary>
    public LeafCertificate Mint(TlsHostName name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectFor(name), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], critical: false));
        request.CertificateExtensions.Add(SubjectAlternativeName(name));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(_authorityKeyIdentifier);

        using var signed = _ca.Sign(request, _ca.NotBefore, _ca.NotAfter);
        var leaf = signed.CopyWithPrivateKey(key);
        try
        {
            var context = SslStreamCertificateContext.Create(leaf, _chain, offline: true);
            return new LeafCertificate(name, leaf, context);
        }
        catch
        {
            leaf.Dispose();
            throw;
        }
    }

    // A DNS leaf carries its name as CN too, for people reading it; clients match on the SAN. An IP leaf
    // gets no CN: OpenSSL checks a dotted CN against DNS name constraints when no DNS SAN is present.
    private static X500DistinguishedName SubjectFor(TlsHostName name)
    {
        var builder = new X500DistinguishedNameBuilder();
        if (name.IsIpAddress)
        {
            builder.AddOrganizationName("nono session");
        }
        else
        {
            builder.AddCommonName(name.Value);
        }

        return builder.Build();
    }

    private static X509Extension SubjectAlternativeName(TlsHostName name)
    {
        var san = new SubjectAlternativeNameBuilder();
        if (name.Address is { } address)
        {
            san.AddIpAddress(address);
        }
        else
        {
            san.AddDnsName(name.Value);
        }

        return san.Build(critical: false);
    }
}
