using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy.Tls;

/// <summary>
/// The PEM file the child trusts while its TLS is intercepted: the session CA, the system roots and the
/// certificates of the caller's own SSL_CERT_FILE, so that hosts reached through plain tunnels still
/// verify. Read-only (0400) inside a fresh owner-only (0700) session directory; both are removed on
/// <see cref="Delete"/> or <see cref="Dispose"/>, and on every failure while creating them.
/// It holds certificates only: every entry is re-encoded from a CERTIFICATE block, so no key can travel in.
/// </summary>
internal sealed class TrustBundle : IDisposable
{
    public const string FileName = "ca-bundle.pem";
    public const UnixFileMode BundleFileMode = UnixFileMode.UserRead;

    private int _deleted;

    private TrustBundle(string directoryPath, string path, string rootsSource, int certificateCount)
    {
        DirectoryPath = directoryPath;
        Path = path;
        SystemRootsSource = rootsSource;
        CertificateCount = certificateCount;
    }

    /// <summary>The bundle file; what <c>SSL_CERT_FILE</c> and friends point at.</summary>
    public string Path { get; }

    /// <summary>The session directory holding it.</summary>
    public string DirectoryPath { get; }

    /// <summary>Where the system roots came from (a file path or a certificate store), for diagnostics.</summary>
    public string SystemRootsSource { get; }

    public int CertificateCount { get; }

    /// <exception cref="TrustBundleException">The roots could not be read or the file could not be written; nothing is left behind.</exception>
    public static TrustBundle Create(SessionCertificateAuthority ca, TlsInterceptConfig config) =>
        Create(ca, config, TrustBundleSources.FromEnvironment());

    internal static TrustBundle Create(SessionCertificateAuthority ca, TlsInterceptConfig config, TrustBundleSources sources)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(config);

        // Everything is read before anything is created, so most failures leave nothing to clean up.
        var (rootsSource, roots) = SystemRootCertificates.Load(sources.SystemBundleCandidates, sources.UseKeychain);
        var callerCertificates = ReadCallerCertificates(sources.CallerCertFile);
        var (pem, count) = Compose(ca.Certificate.RawData, roots, callerCertificates);

        var root = SessionDirectory.ChooseRoot(config.SessionDirectoryRoot, sources.XdgRuntimeDir, out _);
        string? directory = null;
        try
        {
            directory = SessionDirectory.Create(root);
            sources.OnStep?.Invoke(TrustBundleStep.DirectoryCreated);

            // Written under a temporary name and renamed, so the final path only ever holds the whole bundle.
            var temporary = System.IO.Path.Combine(directory, FileName + ".partial");
            var final = System.IO.Path.Combine(directory, FileName);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = BundleFileMode,
            };
            using (var file = new FileStream(temporary, options))
            {
                file.Write(pem);
                sources.OnStep?.Invoke(TrustBundleStep.ContentWritten);
            }

            // The umask can only have narrowed the mode; make it exactly 0400 so the child can read it.
            File.SetUnixFileMode(temporary, BundleFileMode);

            File.Move(temporary, final);
            sources.OnStep?.Invoke(TrustBundleStep.Renamed);
            return new TrustBundle(directory, final, rootsSource, count);
        }
        catch (Exception ex)
        {
            if (directory is not null)
            {
                TryDeleteDirectory(directory);
            }

            if (ex is TrustBundleException)
            {
                throw;
            }

            throw new TrustBundleException($"Could not write the TLS trust bundle under '{root}': {ex.Message}", ex);
        }
    }

    /// <summary>Removes the bundle and its directory. Safe to call more than once; returns whether they are gone.</summary>
    public bool Delete()
    {
        if (Interlocked.Exchange(ref _deleted, 1) == 1)
        {
            return !Directory.Exists(DirectoryPath);
        }

        return TryDeleteDirectory(DirectoryPath);
    }

    public void Dispose() => Delete();

    private static List<byte[]> ReadCallerCertificates(string? callerCertFile)
    {
        if (string.IsNullOrEmpty(callerCertFile))
        {
            return [];
        }

        try
        {
            return PemCertificates.Read(File.ReadAllText(callerCertFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TrustBundleException(
                $"SSL_CERT_FILE is set to '{callerCertFile}', which cannot be read ({ex.Message}). Fix or unset SSL_CERT_FILE.", ex);
        }
    }

    private static (byte[] Pem, int Count) Compose(byte[] sessionCa, List<byte[]> roots, List<byte[]> callerCertificates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pem = new StringBuilder(capacity: 256 * 1024);
        var count = 0;
        foreach (var der in roots.Prepend(sessionCa).Concat(callerCertificates))
        {
            if (seen.Add(Convert.ToBase64String(SHA256.HashData(der))))
            {
                pem.Append(PemCertificates.Write(der));
                count++;
            }
        }

        return (Encoding.ASCII.GetBytes(pem.ToString()), count);
    }

    private static bool TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>Points in <see cref="TrustBundle"/> creation where a test can inject a failure.</summary>
internal enum TrustBundleStep
{
    DirectoryCreated,
    ContentWritten,
    Renamed,
}

/// <summary>What <see cref="TrustBundle"/> reads from the machine, gathered in one place so tests can substitute it.</summary>
internal sealed record TrustBundleSources
{
    public IReadOnlyList<string> SystemBundleCandidates { get; init; } = SystemRootCertificates.LinuxBundlePaths;

    public bool UseKeychain { get; init; } = OperatingSystem.IsMacOS();

    /// <summary>The caller's own SSL_CERT_FILE, whose certificates the child must keep trusting.</summary>
    public string? CallerCertFile { get; init; }

    public string? XdgRuntimeDir { get; init; }

    /// <summary>Test seam: called after each step of creation; throwing from it simulates a failure there.</summary>
    public Action<TrustBundleStep>? OnStep { get; init; }

    public static TrustBundleSources FromEnvironment() => new()
    {
        CallerCertFile = Environment.GetEnvironmentVariable("SSL_CERT_FILE"),
        XdgRuntimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
    };
}
