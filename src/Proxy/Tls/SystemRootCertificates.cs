using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>Finds the machine's trusted root certificates, as DER.</summary>
internal static class SystemRootCertificates
{
    /// <summary>Where Linux distributions keep the PEM bundle that OpenSSL-based clients read, most common first.</summary>
    public static readonly IReadOnlyList<string> LinuxBundlePaths =
    [
        "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Arch, Gentoo, Alpine (ca-certificates)
        "/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL, CentOS
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // RHEL/CentOS 7+ extracted trust
        "/etc/ssl/ca-bundle.pem",                            // openSUSE, SLES
        "/etc/pki/tls/cacert.pem",                           // OpenELEC
        "/etc/ssl/cert.pem",                                 // Alpine, BSDs
    ];

    /// <summary>
    /// On macOS, exports the keychain's roots; elsewhere, reads the first bundle of
    /// <paramref name="candidates"/> that exists and holds a certificate, then falls back to the roots the
    /// .NET runtime itself trusts (OpenSSL's default locations).
    /// </summary>
    /// <exception cref="TrustBundleException">No root certificate was found anywhere.</exception>
    public static (string Source, List<byte[]> Certificates) Load(IReadOnlyList<string> candidates, bool useKeychain)
    {
        if (useKeychain)
        {
            return ("the keychain's root certificates", FromStores());
        }

        foreach (var path in candidates)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var certificates = PemCertificates.Read(text);
            if (certificates.Count > 0)
            {
                return (path, certificates);
            }
        }

        var fromStore = FromStores();
        if (fromStore.Count > 0)
        {
            return ("the runtime's root store", fromStore);
        }

        throw new TrustBundleException(
            "No system root certificates were found (looked in " + string.Join(", ", candidates)
            + " and the runtime's root store). Install the ca-certificates package, or set SSL_CERT_FILE to a PEM bundle of trusted roots.");
    }

    private static List<byte[]> FromStores()
    {
        var certificates = new List<byte[]>();
        foreach (var location in new[] { StoreLocation.LocalMachine, StoreLocation.CurrentUser })
        {
            using var store = new X509Store(StoreName.Root, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or PlatformNotSupportedException)
            {
                continue;
            }

            foreach (var certificate in store.Certificates)
            {
                certificates.Add(certificate.RawData);
                certificate.Dispose();
            }
        }

        return certificates;
    }
}
