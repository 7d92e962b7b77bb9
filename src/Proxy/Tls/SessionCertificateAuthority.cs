using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>
/// The per-session CA that signs intercepted leaves. Its P-256 key is generated in memory and never
/// exported: not to a PEM, a PFX or any file. The certificate published to clients (in the trust
/// bundle) carries no key.
/// </summary>
/// <remarks>
/// On Linux the key lives in OpenSSL memory behind the ECDsa handle; <see cref="Dispose"/> frees it, and
/// OpenSSL clears private scalars as it frees them. Nothing managed holds a copy because the key is never
/// exported. Leaves hold their own keys; SslStream's per-certificate TLS contexts keep a reference to a
/// leaf (not to this CA key) until they are collected.
/// </remarks>
internal sealed class SessionCertificateAuthority : IDisposable
{
    public const int MinValidityDays = 1;
    public const int MaxValidityDays = 365;

    /// <summary>How far notBefore is backdated: clients in VMs or containers may run a few minutes behind.</summary>
    internal static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromHours(1);

    private readonly ECDsa _key;
    private readonly X509SignatureGenerator _signer;
    private bool _disposed;

    private SessionCertificateAuthority(ECDsa key, X509Certificate2 certificate, CaNameConstraints? constraints, string? constraintsNotAppliedReason)
    {
        _key = key;
        _signer = X509SignatureGenerator.CreateForECDsa(key);
        Certificate = certificate;
        NotBefore = certificate.NotBefore;
        NotAfter = certificate.NotAfter;
        NameConstraints = constraints;
        NameConstraintsNotAppliedReason = constraintsNotAppliedReason;
    }

    /// <summary>The CA certificate, public part only.</summary>
    public X509Certificate2 Certificate { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>The constraints written into the CA, or null when it is unconstrained.</summary>
    public CaNameConstraints? NameConstraints { get; }

    /// <summary>Why the CA is unconstrained although constraints were asked for (for diagnostics); null otherwise.</summary>
    public string? NameConstraintsNotAppliedReason { get; }

    /// <summary>
    /// Mints the CA. <paramref name="allowedHosts"/> is the proxy's allowlist plus the hosts of the routes
    /// that are intercepted; it is only used when <see cref="TlsInterceptConfig.NameConstraints"/> is set.
    /// </summary>
    /// <exception cref="TlsConfigurationException">The validity is outside 1..365 days.</exception>
    public static SessionCertificateAuthority Create(TlsInterceptConfig config, IEnumerable<string> allowedHosts, TimeProvider? time = null) =>
        Create(config, allowedHosts, time, keyFactory: null);

    /// <param name="keyFactory">Test seam: supplies the CA key, so a test can look for it on disk. Null: a fresh P-256 key.</param>
    internal static SessionCertificateAuthority Create(TlsInterceptConfig config, IEnumerable<string> allowedHosts, TimeProvider? time, Func<ECDsa>? keyFactory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(allowedHosts);
        if (config.CaValidityDays is < MinValidityDays or > MaxValidityDays)
        {
            throw new TlsConfigurationException(
                $"The TLS interception CA validity must be between {MinValidityDays} and {MaxValidityDays} days, "
                + $"but {config.CaValidityDays} was configured. Choose a value in that range (1 day is the default).");
        }

        CaNameConstraints? constraints = null;
        string? notApplied = null;
        if (config.NameConstraints)
        {
            constraints = CaNameConstraints.FromAllowedHosts(allowedHosts, out notApplied);
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var notBefore = TruncateToSeconds(now - ClockSkewAllowance);
        var notAfter = TruncateToSeconds(now + TimeSpan.FromDays(config.CaValidityDays));

        var key = keyFactory?.Invoke() ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var shortId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName($"nono session CA {shortId}");
            var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
                certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            if (constraints is not null)
            {
                request.CertificateExtensions.Add(constraints.ToExtension());
            }

            X509Certificate2 publicOnly;
            using (var withKey = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, NewSerialNumber()))
            {
                publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
            }

            return new SessionCertificateAuthority(key, publicOnly, constraints, config.NameConstraints ? notApplied : null);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Whether this CA may issue for <paramref name="name"/> (always, when unconstrained).</summary>
    public bool Permits(TlsHostName name) => NameConstraints?.Permits(name) ?? true;

    /// <summary>Signs a leaf request with the CA key; the result carries no private key.</summary>
    internal X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return request.Create(Certificate.SubjectName, _signer, notBefore, notAfter, NewSerialNumber());
    }

    /// <summary>128 random bits, kept positive and minimally encoded (high bit clear, next bit set).</summary>
    internal static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _key.Dispose();
        Certificate.Dispose();
    }
}
