using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>The trust bundle exists exactly while the proxy runs, and the CA key never reaches the disk.</summary>
public sealed class TrustBundleLifecycleTests
{
    [Fact]
    public async Task Bundle_is_0400_in_a_0700_directory_and_its_variables_are_exported()
    {
        await using var s = await InterceptSession.StartAsync();
        var path = s.Proxy.InterceptCaPath!;

        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.StartsWith(s.SessionRoot, path, StringComparison.Ordinal);
        var env = s.Proxy.EnvVars();
        foreach (var name in (string[])["SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO"])
            Assert.Contains(new KeyValuePair<string, string>(name, path), env);
    }

    [Fact]
    public async Task Bundle_is_deleted_on_shutdown()
    {
        await using var s = await InterceptSession.StartAsync();
        var path = s.Proxy.InterceptCaPath!;
        Assert.True(File.Exists(path));

        s.Proxy.Shutdown();

        Assert.False(File.Exists(path));
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.Null(s.Proxy.InterceptCaPath);
        Assert.DoesNotContain(s.Proxy.EnvVars(), v => v.Key == "SSL_CERT_FILE");
    }

    [Fact]
    public async Task Bundle_is_deleted_on_dispose()
    {
        var s = await InterceptSession.StartAsync();
        var path = s.Proxy.InterceptCaPath!;

        await s.Proxy.DisposeAsync();

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFileSystemEntries(s.SessionRoot));
        await s.DisposeAsync();
    }

    [Fact]
    public async Task Failed_start_after_the_bundle_was_written_leaves_nothing_behind()
    {
        using var pki = new OriginPki();
        var root = Directory.CreateTempSubdirectory("nono-intercept-root-").FullName;
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        try
        {
            var config = Proxies.Loopback(c => c with
            {
                BindPort = ((IPEndPoint)taken.LocalEndPoint!).Port,
                TlsIntercept = new TlsInterceptConfig { SessionDirectoryRoot = root, InterceptAll = true },
            });

            await Assert.ThrowsAsync<ProxyStartException>(() => Proxies.StartAsync(config));

            Assert.Empty(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_ca_validity_fails_the_start_with_nothing_on_disk()
    {
        var root = Directory.CreateTempSubdirectory("nono-intercept-root-").FullName;
        try
        {
            var config = Proxies.Loopback(c => c with { TlsIntercept = new TlsInterceptConfig { SessionDirectoryRoot = root, CaValidityDays = 400 } });

            var error = await Assert.ThrowsAsync<Nono.Proxy.Tls.TlsConfigurationException>(() => Proxies.StartAsync(config));

            Assert.Contains("between 1 and 365 days", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Ca_private_key_is_never_written_to_the_session_directory_or_temp()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var scalar = caKey.ExportParameters(includePrivateParameters: true).D!;
        var pkcs8 = caKey.ExportPkcs8PrivateKey();
        var started = DateTime.UtcNow.AddSeconds(-1);
        await using var s = await InterceptSession.StartAsync(caKey: () => ECDsa.Create(caKey.ExportParameters(true)));

        // Exercise leaf minting too, then look everywhere the proxy could have written.
        var result = await InterceptClients.RunAsync("curl", $"{s.Origin.Url}/v1/quiet", s.ChildEnv);
        Assert.Equal("200 ok", result.Stdout);

        var sessionFiles = Directory.GetFiles(s.SessionRoot, "*", SearchOption.AllDirectories);
        Assert.Single(sessionFiles);
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(sessionFiles[0]), StringComparison.Ordinal);
        var tempFiles = await KeyScan.RegularFilesWrittenSinceAsync(Path.GetTempPath(), started);
        Assert.Empty(KeyScan.FilesHolding(
            tempFiles.Concat(sessionFiles),
            // The base64 needle is cut from the key-specific part: a PKCS#8 P-256 key's first ~36
            // bytes (version, algorithm, curve) are the same in every key, such as other tests' origin keys;
            // 64..104 is the second line of a PEM file, which wraps base64 at 64 characters.
            [scalar, pkcs8, Encoding.ASCII.GetBytes(Convert.ToBase64String(pkcs8)[64..104])],
            anyPrivateKeyLabel: false));
    }
}
