using System.Net;
using System.Net.Security;
using CliWrap;
using CliWrap.Buffered;
using System.Security.Cryptography.X509Certificates;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class LeafCertificateTests
{
    [Fact]
    public void Dns_leaf_names_the_host_is_for_server_auth_and_chains_to_the_session_ca()
    {
        using var pki = TestPki.Create();
        using var leaf = pki.Minter.Mint(TlsHostName.Parse("API.nono-test.example."));
        var cert = leaf.Certificate;

        Assert.True(cert.HasPrivateKey);
        Assert.Equal("CN=api.nono-test.example", cert.Subject);
        Assert.Equal(pki.Ca.Certificate.Subject, cert.Issuer);
        var san = Assert.Single(cert.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["api.nono-test.example"], san.EnumerateDnsNames());
        Assert.Empty(san.EnumerateIPAddresses());
        Assert.True(cert.MatchesHostname("api.nono-test.example"));
        Assert.False(cert.MatchesHostname("other.nono-test.example"));

        var eku = Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        var basic = Assert.Single(cert.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.False(basic.CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, Assert.Single(cert.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);

        var aki = Assert.Single(cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        var caSki = Assert.Single(pki.Ca.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(Convert.FromHexString(caSki.SubjectKeyIdentifier!), aki.KeyIdentifier!.Value.ToArray());

        using (var key = cert.GetECDsaPublicKey()!)
        {
            Assert.Equal(256, key.KeySize);
        }

        Assert.True(cert.NotBefore >= pki.Ca.NotBefore.LocalDateTime);
        Assert.True(cert.NotAfter <= pki.Ca.NotAfter.LocalDateTime);
        Assert.True(cert.NotBefore < DateTime.Now);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pki.Ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        Assert.True(chain.Build(cert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Ip_leaf_carries_an_ip_san_and_no_common_name()
    {
        using var pki = TestPki.Create();
        using var leaf = pki.Minter.Mint(TlsHostName.Parse("127.0.0.1"));

        var san = Assert.Single(leaf.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
        Assert.Empty(san.EnumerateDnsNames());
        Assert.DoesNotContain("CN=", leaf.Certificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_client_verifies_the_presented_chain_against_the_bundle()
    {
        using var pki = TestPki.Create();
        using var leaf = pki.Minter.Mint(TlsHostName.Parse(TestPki.AllowedHost));
        await using var server = TestTlsServer.Presenting(leaf);

        var result = await Cli.Wrap("openssl")
            .WithArguments(["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", TestPki.AllowedHost,
                "-verify_hostname", TestPki.AllowedHost, "-CAfile", pki.Bundle.Path, "-showcerts", "-verify_return_error", "-ign_eof"])
            .WithStandardInputPipe(PipeSource.FromString("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Verify return code: 0 (ok)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"0 s:CN = {TestPki.AllowedHost}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(TestTlsServer.Greeting, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_options_present_the_leaf_with_the_given_alpn_list()
    {
        using var pki = TestPki.Create();
        using var leaf = pki.Minter.Mint(TlsHostName.Parse(TestPki.AllowedHost));

        var options = leaf.CreateServerOptions([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

        Assert.Same(leaf.Context, options.ServerCertificateContext);
        Assert.Same(leaf.Certificate, leaf.Context.TargetCertificate);
        Assert.Equal(["h2", "http/1.1"], options.ApplicationProtocols!.Select(p => p.ToString()));
        Assert.False(options.ClientCertificateRequired);
    }

    [Fact]
    public void Every_leaf_has_its_own_key_and_serial()
    {
        using var pki = TestPki.Create();
        using var a = pki.Minter.Mint(TlsHostName.Parse("a.nono-test.example"));
        using var b = pki.Minter.Mint(TlsHostName.Parse("b.nono-test.example"));

        Assert.NotEqual(a.Certificate.SerialNumber, b.Certificate.SerialNumber);
        Assert.NotEqual(a.Certificate.PublicKey.EncodedKeyValue.RawData, b.Certificate.PublicKey.EncodedKeyValue.RawData);
    }
}
