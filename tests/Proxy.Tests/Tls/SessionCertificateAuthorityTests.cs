using System.Security.Cryptography.X509Certificates;
using CliWrap;
using CliWrap.Buffered;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class SessionCertificateAuthorityTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(366)]
    [InlineData(int.MaxValue)]
    public void Validity_outside_one_to_365_days_is_refused_with_the_allowed_range(int days)
    {
        var ex = Assert.Throws<TlsConfigurationException>(() =>
            SessionCertificateAuthority.Create(new TlsInterceptConfig { CaValidityDays = days }, []));

        Assert.Contains("between 1 and 365 days", ex.Message, StringComparison.Ordinal);
        Assert.Contains(days.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(365)]
    public void Validity_spans_the_configured_days_and_starts_an_hour_early_for_clock_skew(int days)
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig { CaValidityDays = days }, [], new FixedTime(now));

        Assert.Equal(now - TimeSpan.FromHours(1), ca.NotBefore.ToUniversalTime());
        Assert.Equal(now + TimeSpan.FromDays(days), ca.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Default_config_mints_a_one_day_p256_ca_limited_to_signing_certificates()
    {
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig(), [TestPki.AllowedHost]);
        var cert = ca.Certificate;

        Assert.Matches("^CN=nono session CA [0-9a-f]{8}$", cert.Subject);
        Assert.Equal(cert.Subject, cert.Issuer);
        Assert.False(cert.HasPrivateKey);
        Assert.Equal("1.2.840.10045.2.1", cert.PublicKey.Oid.Value); // id-ecPublicKey
        using (var key = cert.GetECDsaPublicKey()!)
        {
            Assert.Equal(256, key.KeySize);
        }

        Assert.InRange((cert.NotAfter - DateTime.Now).TotalHours, 23.9, 24.1);

        var basic = Assert.Single(cert.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(basic.Critical);
        Assert.True(basic.CertificateAuthority);
        Assert.True(basic.HasPathLengthConstraint);
        Assert.Equal(0, basic.PathLengthConstraint);

        var usage = Assert.Single(cert.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);

        Assert.Single(cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        var constraints = Assert.Single(cert.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "2.5.29.30");
        Assert.True(constraints.Critical);
    }

    [Fact]
    public void Each_session_gets_its_own_ca()
    {
        using var first = SessionCertificateAuthority.Create(new TlsInterceptConfig(), []);
        using var second = SessionCertificateAuthority.Create(new TlsInterceptConfig(), []);

        Assert.NotEqual(first.Certificate.Subject, second.Certificate.Subject);
        Assert.NotEqual(first.Certificate.SerialNumber, second.Certificate.SerialNumber);
        Assert.NotEqual(first.Certificate.PublicKey.EncodedKeyValue.RawData, second.Certificate.PublicKey.EncodedKeyValue.RawData);
    }

    [Fact]
    public async Task Openssl_reads_the_name_constraints_as_permitted_dns_subtrees_and_excluded_addresses()
    {
        using var ca = SessionCertificateAuthority.Create(
            new TlsInterceptConfig(), ["api.openai.com", "*.example.com", "API.OpenAI.com"]);

        var text = await OpensslText(ca.Certificate);

        Assert.Contains("X509v3 Name Constraints: critical", text, StringComparison.Ordinal);
        Assert.Contains("DNS:api.openai.com", text, StringComparison.Ordinal);
        Assert.Contains("DNS:example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DNS:.example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("*", text, StringComparison.Ordinal);
        Assert.Contains("IP:0.0.0.0/0.0.0.0", text, StringComparison.Ordinal);
        Assert.Contains("IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOccurrences(text, "DNS:api.openai.com"));
    }

    [Fact]
    public async Task Allowed_ip_literals_become_single_address_subtrees()
    {
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig(), ["10.1.2.3", "::1", "api.example.com"]);

        var text = await OpensslText(ca.Certificate);

        Assert.Contains("IP:10.1.2.3/255.255.255.255", text, StringComparison.Ordinal);
        Assert.Contains("IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Excluded", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "no allowed hosts")]
    [InlineData(new[] { "*" }, "'*'")]
    [InlineData(new[] { "api.example.com", "10.0.0.0/8" }, "'10.0.0.0/8'")]
    [InlineData(new[] { "*.10.0.0.1" }, "'*.10.0.0.1'")]
    public void Allowlists_that_cannot_be_expressed_leave_the_ca_unconstrained_and_say_why(string[] allowed, string reason)
    {
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig(), allowed);

        Assert.Null(ca.NameConstraints);
        Assert.Contains(reason, ca.NameConstraintsNotAppliedReason, StringComparison.Ordinal);
        Assert.DoesNotContain(ca.Certificate.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "2.5.29.30");
        Assert.True(ca.Permits(TlsHostName.Parse("anything.example")));
    }

    [Fact]
    public void Constraints_switched_off_in_config_are_not_written_and_not_reported_as_missing()
    {
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig { NameConstraints = false }, [TestPki.AllowedHost]);

        Assert.Null(ca.NameConstraints);
        Assert.Null(ca.NameConstraintsNotAppliedReason);
    }

    [Theory]
    [InlineData("api.openai.com", true)]
    [InlineData("API.OPENAI.COM.", true)]
    [InlineData("v1.api.openai.com", true)]
    [InlineData("openai.com", false)]
    [InlineData("xapi.openai.com", false)]
    [InlineData("example.com", true)]
    [InlineData("a.b.example.com", true)]
    [InlineData("badexample.com", false)]
    [InlineData("10.1.2.3", false)]
    public void Permits_follows_rfc5280_dns_subtree_matching(string host, bool permitted)
    {
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig(), ["api.openai.com", "*.example.com"]);

        Assert.Equal(permitted, ca.Permits(TlsHostName.Parse(host)));
    }

    [Fact]
    public void Only_ip_literals_allowed_confines_dns_names_to_a_reserved_name()
    {
        using var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig(), ["192.0.2.7"]);

        Assert.Equal(["nono.invalid"], ca.NameConstraints!.PermittedDnsNames);
        Assert.True(ca.Permits(TlsHostName.Parse("192.0.2.7")));
        Assert.False(ca.Permits(TlsHostName.Parse("192.0.2.8")));
        Assert.False(ca.Permits(TlsHostName.Parse("api.example.com")));
    }

    [Fact]
    public void A_disposed_ca_signs_nothing()
    {
        var ca = SessionCertificateAuthority.Create(new TlsInterceptConfig(), []);
        var minter = new LeafCertificateMinter(ca);
        ca.Dispose();
        ca.Dispose();

        Assert.Throws<ObjectDisposedException>(() => minter.Mint(TlsHostName.Parse("api.example.com")));
    }

    private static async Task<string> OpensslText(X509Certificate2 certificate)
    {
        var result = await Cli.Wrap("openssl").WithArguments(["x509", "-noout", "-text"])
            .WithStandardInputPipe(PipeSource.FromString(certificate.ExportCertificatePem()))
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);
        return result.StandardOutput;
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
