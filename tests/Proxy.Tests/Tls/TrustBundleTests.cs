using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class TrustBundleTests
{
    private const string DebianBundle = "/etc/ssl/certs/ca-certificates.crt";

    [Fact]
    public void Bundle_is_read_only_for_its_owner_inside_an_owner_only_session_directory()
    {
        using var root = new TestDirectory();
        using var ca = NewCa();
        using var bundle = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, new TrustBundleSources());

        Assert.Equal(root.Path, Path.GetDirectoryName(bundle.DirectoryPath));
        Assert.Matches("^nono-[0-9a-f]{20}$", Path.GetFileName(bundle.DirectoryPath));
        Assert.Equal(Path.Combine(bundle.DirectoryPath, "ca-bundle.pem"), bundle.Path);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(bundle.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(bundle.DirectoryPath));
        Assert.Equal(["ca-bundle.pem"], Directory.GetFileSystemEntries(bundle.DirectoryPath).Select(Path.GetFileName));
    }

    [Fact]
    public void Bundle_holds_the_session_ca_first_then_every_system_root_once()
    {
        using var root = new TestDirectory();
        using var ca = NewCa();
        using var bundle = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, new TrustBundleSources());

        var certificates = ReadBundle(bundle.Path);
        var systemRoots = new X509Certificate2Collection();
        systemRoots.ImportFromPemFile(DebianBundle);
        var distinctSystem = systemRoots.Select(c => c.Thumbprint).Distinct().ToList();

        Assert.Equal(DebianBundle, bundle.SystemRootsSource);
        Assert.Equal(ca.Certificate.Thumbprint, certificates[0].Thumbprint);
        Assert.Equal(distinctSystem.Count + 1, certificates.Count);
        Assert.Equal(certificates.Count, bundle.CertificateCount);
        Assert.Equal(distinctSystem.Order(), certificates.Skip(1).Select(c => c.Thumbprint).Order());
    }

    [Fact]
    public void Certificates_of_the_callers_ssl_cert_file_are_kept_but_a_key_in_it_is_not()
    {
        using var root = new TestDirectory();
        using var ca = NewCa();
        using var corporate = SessionCertificateAuthority.Create(new TlsInterceptConfig(), []);
        using var strayKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var callerFile = root.File("corporate.pem");
        File.WriteAllText(callerFile, "corporate roots\n" + corporate.Certificate.ExportCertificatePem() + "\n" + strayKey.ExportPkcs8PrivateKeyPem() + "\n");

        using var bundle = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, new TrustBundleSources { CallerCertFile = callerFile });

        var text = File.ReadAllText(bundle.Path);
        Assert.Contains(ReadBundle(bundle.Path), c => c.Thumbprint == corporate.Certificate.Thumbprint);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("corporate roots", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_ssl_cert_file_is_an_error_that_leaves_nothing_behind()
    {
        using var root = new TestDirectory();
        using var ca = NewCa();
        var sources = new TrustBundleSources { CallerCertFile = root.Path }; // a directory cannot be read as a file

        var ex = Assert.Throws<TrustBundleException>(() =>
            TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, sources));

        Assert.Contains("SSL_CERT_FILE", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Theory]
    [InlineData(nameof(TrustBundleStep.DirectoryCreated))]
    [InlineData(nameof(TrustBundleStep.ContentWritten))]
    [InlineData(nameof(TrustBundleStep.Renamed))]
    public void Failure_at_any_step_removes_the_file_and_the_directory(string stepName)
    {
        var failingStep = Enum.Parse<TrustBundleStep>(stepName);
        using var root = new TestDirectory();
        using var ca = NewCa();
        var sources = new TrustBundleSources
        {
            OnStep = step =>
            {
                if (step == failingStep)
                {
                    throw new IOException("No space left on device");
                }
            },
        };

        var ex = Assert.Throws<TrustBundleException>(() =>
            TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, sources));

        Assert.Contains("No space left on device", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void Delete_and_dispose_remove_the_bundle_and_its_directory_and_can_be_repeated()
    {
        using var root = new TestDirectory();
        using var ca = NewCa();
        var bundle = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, new TrustBundleSources());

        Assert.True(bundle.Delete());
        Assert.False(File.Exists(bundle.Path));
        Assert.False(Directory.Exists(bundle.DirectoryPath));
        Assert.True(bundle.Delete());
        bundle.Dispose();

        var second = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, new TrustBundleSources());
        second.Dispose();
        second.Dispose();
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task Neither_the_session_directory_nor_the_temp_directory_holds_the_ca_private_key()
    {
        var started = DateTime.UtcNow.AddSeconds(-2);
        using var pki = TestPki.Create();
        var scalar = pki.CaKey.ExportParameters(includePrivateParameters: true).D!;
        var pkcs8 = pki.CaKey.ExportPkcs8PrivateKey();

        // Exercise everything that could write: leaves, a real handshake, a second bundle in the default location.
        await using (var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost))
        {
            var outcome = await RealClients.RunAsync(HttpsClient.CurlWithCurlCaBundle, TestPki.AllowedHost, server.Port, pki.Bundle.Path, pki.Directory.Path);
            Assert.True(outcome.Succeeded, outcome.ToString());
        }

        using var defaultBundle = TrustBundle.Create(pki.Ca, new TlsInterceptConfig());

        // The session directories hold no key of any kind; nothing written to the temp directory meanwhile
        // (by anyone: other tests may write keys of their own) holds this CA's key.
        var sessionFiles = Directory.EnumerateFiles(pki.Bundle.DirectoryPath).Concat(Directory.EnumerateFiles(defaultBundle.DirectoryPath)).ToList();
        var tempFiles = await KeyScan.RegularFilesWrittenSinceAsync(Path.GetTempPath(), started);
        Assert.Equal(2, sessionFiles.Count);
        Assert.Contains(defaultBundle.Path, tempFiles);
        Assert.Empty(KeyScan.FilesHolding(sessionFiles, [scalar, pkcs8], anyPrivateKeyLabel: true));
        Assert.Empty(KeyScan.FilesHolding(tempFiles, [scalar, pkcs8], anyPrivateKeyLabel: false));

        // The scan itself finds a key when one is there.
        var canary = pki.Directory.File("canary.bin");
        File.WriteAllBytes(canary, [1, 2, .. scalar, 3]);
        Assert.Equal([canary], KeyScan.FilesHolding([canary], [scalar, pkcs8], anyPrivateKeyLabel: false));
    }

    [Fact]
    public void Xdg_runtime_dir_is_used_when_it_is_owner_only()
    {
        using var xdg = new TestDirectory();
        File.SetUnixFileMode(xdg.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var ca = NewCa();

        using var bundle = TrustBundle.Create(ca, new TlsInterceptConfig(), new TrustBundleSources { XdgRuntimeDir = xdg.Path });

        Assert.Equal(xdg.Path, Path.GetDirectoryName(bundle.DirectoryPath));
    }

    [Fact]
    public void Xdg_runtime_dir_open_to_others_is_passed_over_for_the_temp_directory()
    {
        using var xdg = new TestDirectory();
        File.SetUnixFileMode(xdg.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var root = SessionDirectory.ChooseRoot(null, xdg.Path, out var reason);

        Assert.Equal(Path.GetTempPath(), root);
        Assert.Contains("not an existing owner-only directory", reason, StringComparison.Ordinal);
        Assert.Equal(Path.GetTempPath(), SessionDirectory.ChooseRoot(null, "relative/dir", out _));
        Assert.Equal(Path.GetTempPath(), SessionDirectory.ChooseRoot(null, null, out _));
    }

    [Fact]
    public void Configured_root_wins_over_xdg_and_must_exist()
    {
        using var configured = new TestDirectory();
        using var xdg = new TestDirectory();

        Assert.Equal(configured.Path, SessionDirectory.ChooseRoot(configured.Path, xdg.Path, out _));
        var ex = Assert.Throws<TrustBundleException>(() => SessionDirectory.ChooseRoot(configured.File("missing"), xdg.Path, out _));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_known_bundle_file_the_runtime_root_store_supplies_the_roots()
    {
        using var root = new TestDirectory();
        using var ca = NewCa();
        var sources = new TrustBundleSources { SystemBundleCandidates = [root.File("no-such-bundle.pem")] };

        using var bundle = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = root.Path }, sources);

        Assert.Equal("the runtime's root store", bundle.SystemRootsSource);
        Assert.True(bundle.CertificateCount > 10);
    }

    [Fact]
    public void Pem_reader_takes_only_well_formed_certificate_blocks()
    {
        using var ca = NewCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = "text before\n" + ca.Certificate.ExportCertificatePem() + "\n"
            + key.ExportECPrivateKeyPem() + "\n"
            + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            + "-----BEGIN TRUSTED CERTIFICATE-----\n" + Convert.ToBase64String(ca.Certificate.RawData) + "\n-----END TRUSTED CERTIFICATE-----\n";

        var der = Assert.Single(PemCertificates.Read(pem));

        Assert.Equal(ca.Certificate.RawData, der);
    }

    private static SessionCertificateAuthority NewCa() => SessionCertificateAuthority.Create(new TlsInterceptConfig(), [TestPki.AllowedHost]);

    private static List<X509Certificate2> ReadBundle(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return [.. collection];
    }

}
