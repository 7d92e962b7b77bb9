using System.Security.Cryptography;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

/// <summary>A session CA with its minter, leaf cache, interceptor and trust bundle, in a private temp directory.</summary>
internal sealed class TestPki : IDisposable
{
    public const string AllowedHost = "api.nono-test.example";
    public const string AllowedWildcard = "*.nono-test.example";

    private TestPki(TestDirectory directory, SessionCertificateAuthority ca, TlsInterceptOptions? options, ECDsa key)
    {
        Directory = directory;
        Ca = ca;
        CaKey = key;
        Minter = new LeafCertificateMinter(ca);
        Leaves = new LeafCertificateCache(Minter);
        Interceptor = new TlsInterceptor(ca, Leaves, options);
        Bundle = TrustBundle.Create(ca, new TlsInterceptConfig { SessionDirectoryRoot = directory.Path }, new TrustBundleSources());
    }

    public TestDirectory Directory { get; }

    public SessionCertificateAuthority Ca { get; }

    /// <summary>The CA's private key, kept by the test only to look for it on disk.</summary>
    public ECDsa CaKey { get; }

    public LeafCertificateMinter Minter { get; }

    public LeafCertificateCache Leaves { get; }

    public TlsInterceptor Interceptor { get; }

    public TrustBundle Bundle { get; }

    /// <summary>A CA constrained to the test domain (and, when given, extra allowed hosts), or unconstrained.</summary>
    public static TestPki Create(bool nameConstraints = true, TlsInterceptOptions? options = null, params string[] extraAllowedHosts)
    {
        var directory = new TestDirectory();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var config = new TlsInterceptConfig { NameConstraints = nameConstraints };
        var ca = SessionCertificateAuthority.Create(config, [AllowedWildcard, .. extraAllowedHosts], time: null, keyFactory: () => key);
        return new TestPki(directory, ca, options, key);
    }

    public void Dispose()
    {
        Bundle.Dispose();
        Leaves.Dispose();
        Ca.Dispose();
        Directory.Dispose();
    }
}

/// <summary>A fresh directory under the temp directory, removed on dispose.</summary>
internal sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nono-tls-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Path))
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
    }
}
