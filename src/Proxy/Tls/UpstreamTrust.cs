using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>
/// How the proxy verifies the servers it connects to: the system roots, OR the extra roots of
/// <see cref="TlsInterceptConfig.ExtraUpstreamRoots"/>, OR a route's own CA. Verification is never turned
/// off; a name mismatch or a missing certificate is never forgiven by an extra root.
/// </summary>
internal sealed class UpstreamTrust : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly X509Certificate2Collection _extraRoots;

    private UpstreamTrust(X509Certificate2Collection extraRoots)
    {
        _extraRoots = extraRoots;
    }

    /// <summary>Number of extra roots trusted besides the system's.</summary>
    public int ExtraRootCount => _extraRoots.Count;

    /// <exception cref="TlsConfigurationException">An extra root file is missing, unreadable or holds no certificate.</exception>
    public static UpstreamTrust Create(TlsInterceptConfig? config)
    {
        var roots = new X509Certificate2Collection();
        foreach (var path in config?.ExtraUpstreamRoots ?? [])
        {
            roots.AddRange(LoadRoots(path, "extra upstream root"));
        }

        return new UpstreamTrust(roots);
    }

    /// <summary>Loads a route's CA and client certificate (mTLS); both optional.</summary>
    /// <exception cref="TlsConfigurationException">A file is missing or unreadable, or the key does not match the certificate.</exception>
    public static UpstreamRouteTls LoadRoute(RouteConfig route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var roots = string.IsNullOrEmpty(route.UpstreamCaPath)
            ? []
            : LoadRoots(route.UpstreamCaPath, $"upstream CA of route '{route.Prefix}'");
        var client = ClientCertificate.Load(route);
        return new UpstreamRouteTls(roots, client);
    }

    /// <summary>
    /// Client options for a connection to an upstream. <paramref name="targetHost"/> is the name to verify
    /// and send as SNI; pass null when the caller sets it (SocketsHttpHandler.SslOptions does).
    /// </summary>
    public SslClientAuthenticationOptions CreateClientOptions(
        string? targetHost, UpstreamRouteTls? route = null, IReadOnlyList<SslApplicationProtocol>? applicationProtocols = null)
    {
        var extra = _extraRoots;
        if (route is { Roots.Count: > 0 })
        {
            extra = [.. _extraRoots, .. route.Roots];
        }

        var options = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = [.. applicationProtocols ?? [SslApplicationProtocol.Http11]],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
            ClientCertificateContext = route?.ClientCertificate,
        };
        if (targetHost is not null)
        {
            options.TargetHost = targetHost;
        }

        if (extra.Count > 0)
        {
            options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Verify(certificate, chain, errors, extra);
        }

        return options;
    }

    /// <summary>
    /// System verification first (what the runtime already did). Only when that failed on the chain alone,
    /// the presented chain is rebuilt against the extra roots, with no system root in play.
    /// </summary>
    internal static bool Verify(X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors, X509Certificate2Collection extraRoots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (systemChain is not null)
        {
            // The intermediates the server sent.
            chain.ChainPolicy.ExtraStore.AddRange(systemChain.ChainPolicy.ExtraStore);
            foreach (var element in systemChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }

    private static X509Certificate2Collection LoadRoots(string path, string what)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"The {what} '{path}' cannot be read: {ex.Message}", ex);
        }

        var roots = new X509Certificate2Collection();
        foreach (var der in PemCertificates.Read(text))
        {
            try
            {
                roots.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException ex)
            {
                throw new TlsConfigurationException($"The {what} '{path}' holds a certificate that cannot be parsed: {ex.Message}", ex);
            }
        }

        if (roots.Count == 0)
        {
            throw new TlsConfigurationException($"The {what} '{path}' holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----' blocks).");
        }

        return roots;
    }

    public void Dispose()
    {
        foreach (var root in _extraRoots)
        {
            root.Dispose();
        }
    }
}

/// <summary>A route's own upstream trust and client certificate, loaded once.</summary>
internal sealed class UpstreamRouteTls(X509Certificate2Collection roots, SslStreamCertificateContext? clientCertificate) : IDisposable
{
    public X509Certificate2Collection Roots { get; } = roots;

    /// <summary>Certificate (with key and intermediates) presented to the upstream; null without mTLS.</summary>
    public SslStreamCertificateContext? ClientCertificate { get; } = clientCertificate;

    public void Dispose()
    {
        foreach (var root in Roots)
        {
            root.Dispose();
        }

        ClientCertificate?.TargetCertificate.Dispose();
    }
}
