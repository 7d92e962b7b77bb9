using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>Loads a route's mTLS client certificate from PEM files, key kept in memory only.</summary>
internal static class ClientCertificate
{
    /// <summary>Null when the route has no client certificate.</summary>
    /// <exception cref="TlsConfigurationException">Only one of the two paths is set, a file cannot be read, or the key does not fit.</exception>
    public static SslStreamCertificateContext? Load(RouteConfig route)
    {
        var certPath = route.ClientCertificatePath;
        var keyPath = route.ClientKeyPath;
        if (string.IsNullOrEmpty(certPath) && string.IsNullOrEmpty(keyPath))
        {
            return null;
        }

        if (string.IsNullOrEmpty(certPath) || string.IsNullOrEmpty(keyPath))
        {
            throw new TlsConfigurationException(
                $"Route '{route.Prefix}' sets only one of the client certificate and the client key; mTLS needs both PEM files.");
        }

        foreach (var path in new[] { certPath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw new TlsConfigurationException($"Route '{route.Prefix}': the client certificate file '{path}' does not exist.");
            }
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message of a key parser failure is generic ("no supported key formats"), never key content.
            throw new TlsConfigurationException(
                $"Route '{route.Prefix}': the client certificate '{certPath}' and key '{keyPath}' cannot be loaded together "
                + $"(the key must be an unencrypted PEM key matching the certificate): {ex.Message}", ex);
        }

        try
        {
            // Certificates after the first one in the file are the intermediates to send along.
            var intermediates = new X509Certificate2Collection();
            foreach (var der in PemCertificates.Read(File.ReadAllText(certPath)).Skip(1))
            {
                intermediates.Add(X509CertificateLoader.LoadCertificate(der));
            }

            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
        catch
        {
            leaf.Dispose();
            throw;
        }
    }
}
