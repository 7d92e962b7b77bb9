using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

/// <summary>The proxy's own TLS client towards upstreams, against a real TLS server signed by a private CA.</summary>
public sealed class UpstreamTrustTests : IDisposable
{
    private const string UpstreamHost = "upstream.nono-test.example";

    private readonly TestDirectory _directory = new();
    private readonly SessionCertificateAuthority _privateCa = SessionCertificateAuthority.Create(new TlsInterceptConfig { NameConstraints = false }, []);
    private readonly LeafCertificate _upstreamLeaf;
    private readonly string _privateCaPem;

    public UpstreamTrustTests()
    {
        _upstreamLeaf = new LeafCertificateMinter(_privateCa).Mint(TlsHostName.Parse(UpstreamHost));
        _privateCaPem = _directory.File("private-ca.pem");
        File.WriteAllText(_privateCaPem, _privateCa.Certificate.ExportCertificatePem());
    }

    [Fact]
    public async Task Upstream_signed_by_an_unknown_ca_is_refused()
    {
        using var trust = UpstreamTrust.Create(null);
        await using var server = TestTlsServer.Presenting(_upstreamLeaf);

        await Assert.ThrowsAsync<AuthenticationException>(() => ConnectAsync(server.Port, trust.CreateClientOptions(UpstreamHost)));
    }

    [Fact]
    public async Task Extra_upstream_root_lets_a_private_upstream_verify()
    {
        using var trust = UpstreamTrust.Create(new TlsInterceptConfig { ExtraUpstreamRoots = [_privateCaPem] });
        await using var server = TestTlsServer.Presenting(_upstreamLeaf);

        await using var tls = await ConnectAsync(server.Port, trust.CreateClientOptions(UpstreamHost));

        Assert.Equal(1, trust.ExtraRootCount);
        Assert.Equal(_upstreamLeaf.Certificate.Thumbprint, ((X509Certificate2)tls.RemoteCertificate!).Thumbprint);
    }

    [Fact]
    public async Task Extra_root_does_not_excuse_a_name_mismatch()
    {
        using var trust = UpstreamTrust.Create(new TlsInterceptConfig { ExtraUpstreamRoots = [_privateCaPem] });
        await using var server = TestTlsServer.Presenting(_upstreamLeaf);

        await Assert.ThrowsAsync<AuthenticationException>(() => ConnectAsync(server.Port, trust.CreateClientOptions("other.nono-test.example")));
    }

    [Fact]
    public async Task Route_ca_is_trusted_for_its_route_only()
    {
        using var trust = UpstreamTrust.Create(null);
        using var route = UpstreamTrust.LoadRoute(new RouteConfig { Prefix = "/private", Upstream = $"https://{UpstreamHost}", UpstreamCaPath = _privateCaPem });
        await using var server = TestTlsServer.Presenting(_upstreamLeaf);

        await using (await ConnectAsync(server.Port, trust.CreateClientOptions(UpstreamHost, route)))
        {
        }

        await Assert.ThrowsAsync<AuthenticationException>(() => ConnectAsync(server.Port, trust.CreateClientOptions(UpstreamHost)));
    }

    [Fact]
    public async Task Client_certificate_from_pem_files_is_presented_to_the_upstream()
    {
        using var clientCa = SessionCertificateAuthority.Create(new TlsInterceptConfig { NameConstraints = false }, []);
        using var clientLeaf = new LeafCertificateMinter(clientCa).Mint(TlsHostName.Parse("client.nono-test.example"));
        var certPath = _directory.File("client.pem");
        var keyPath = _directory.File("client.key");
        // The first certificate of the file is the client's; the rest are chain certificates.
        File.WriteAllText(certPath, clientLeaf.Certificate.ExportCertificatePem() + "\n" + clientCa.Certificate.ExportCertificatePem());
        using (var key = clientLeaf.Certificate.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        using var trust = UpstreamTrust.Create(new TlsInterceptConfig { ExtraUpstreamRoots = [_privateCaPem] });
        using var route = UpstreamTrust.LoadRoute(new RouteConfig
        {
            Prefix = "/mtls", Upstream = $"https://{UpstreamHost}", ClientCertificatePath = certPath, ClientKeyPath = keyPath,
        });

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string? presented = null;
        var serverSide = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _upstreamLeaf.Context,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => (presented = certificate?.GetCertHashString()) is not null,
            }, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

        await using (await ConnectAsync(((IPEndPoint)listener.LocalEndpoint).Port, trust.CreateClientOptions(UpstreamHost, route)))
        {
            await serverSide;
        }

        Assert.NotNull(presented);
        Assert.Equal(clientLeaf.Certificate.Thumbprint, presented);
        Assert.Equal(clientLeaf.Certificate.Thumbprint, route.ClientCertificate!.TargetCertificate.Thumbprint);
    }

    [Fact]
    public void Options_offer_http11_unless_told_otherwise_and_keep_default_validation_without_extra_roots()
    {
        using var trust = UpstreamTrust.Create(null);

        var plain = trust.CreateClientOptions(UpstreamHost);
        var h2 = trust.CreateClientOptions(null, applicationProtocols: [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

        Assert.Equal(["http/1.1"], plain.ApplicationProtocols!.Select(p => p.ToString()));
        Assert.Equal(["h2", "http/1.1"], h2.ApplicationProtocols!.Select(p => p.ToString()));
        Assert.Null(plain.RemoteCertificateValidationCallback);
        Assert.Equal(UpstreamHost, plain.TargetHost);
        Assert.True(string.IsNullOrEmpty(h2.TargetHost));
    }

    [Theory]
    [InlineData(SslPolicyErrors.None, true)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch, false)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable, false)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, false)]
    public void Only_a_chain_error_is_ever_reconsidered_against_extra_roots(SslPolicyErrors errors, bool accepted)
    {
        var roots = new X509Certificate2Collection { _privateCa.Certificate };

        Assert.Equal(accepted, UpstreamTrust.Verify(_upstreamLeaf.Certificate, null, errors, roots));
    }

    [Fact]
    public void A_chain_error_is_forgiven_only_when_the_chain_ends_at_an_extra_root()
    {
        using var stranger = SessionCertificateAuthority.Create(new TlsInterceptConfig { NameConstraints = false }, []);

        Assert.True(UpstreamTrust.Verify(_upstreamLeaf.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors, [_privateCa.Certificate]));
        Assert.False(UpstreamTrust.Verify(_upstreamLeaf.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors, [stranger.Certificate]));
    }

    [Fact]
    public void Unusable_trust_files_are_refused_with_the_path_and_no_key_material()
    {
        var missing = _directory.File("missing.pem");
        var notPem = _directory.File("not.pem");
        File.WriteAllText(notPem, "just text");
        using var otherKey = System.Security.Cryptography.ECDsa.Create();
        var wrongKey = _directory.File("wrong.key");
        File.WriteAllText(wrongKey, otherKey.ExportPkcs8PrivateKeyPem());

        var noFile = Assert.Throws<TlsConfigurationException>(() => UpstreamTrust.Create(new TlsInterceptConfig { ExtraUpstreamRoots = [missing] }));
        var noCert = Assert.Throws<TlsConfigurationException>(() => UpstreamTrust.Create(new TlsInterceptConfig { ExtraUpstreamRoots = [notPem] }));
        var halfMtls = Assert.Throws<TlsConfigurationException>(() => UpstreamTrust.LoadRoute(
            new RouteConfig { Prefix = "/x", Upstream = "https://x", ClientCertificatePath = _privateCaPem }));
        var mismatch = Assert.Throws<TlsConfigurationException>(() => UpstreamTrust.LoadRoute(
            new RouteConfig { Prefix = "/x", Upstream = "https://x", ClientCertificatePath = _privateCaPem, ClientKeyPath = wrongKey }));

        Assert.Contains(missing, noFile.Message, StringComparison.Ordinal);
        Assert.Contains("no PEM certificate", noCert.Message, StringComparison.Ordinal);
        Assert.Contains("needs both", halfMtls.Message, StringComparison.Ordinal);
        Assert.Contains(wrongKey, mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", mismatch.ToString(), StringComparison.Ordinal);
    }

    private static async Task<SslStream> ConnectAsync(int port, SslClientAuthenticationOptions options)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        _upstreamLeaf.Dispose();
        _privateCa.Dispose();
        _directory.Dispose();
    }
}
