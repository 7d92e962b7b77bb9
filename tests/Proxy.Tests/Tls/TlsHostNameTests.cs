using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class TlsHostNameTests
{
    [Theory]
    [InlineData("api.example.com", "api.example.com", false)]
    [InlineData("API.Example.COM", "api.example.com", false)]
    [InlineData("api.example.com.", "api.example.com", false)]
    [InlineData("localhost", "localhost", false)]
    [InlineData("_acme.example.com", "_acme.example.com", false)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("[::1]", "::1", true)]
    [InlineData("2001:DB8::0:1", "2001:db8::1", true)]
    public void Valid_names_are_canonicalised(string text, string canonical, bool isIp)
    {
        var name = TlsHostName.Parse(text);

        Assert.Equal(canonical, name.Value);
        Assert.Equal(isIp, name.IsIpAddress);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("*.example.com")]
    [InlineData("a..b")]
    [InlineData("-a.example.com")]
    [InlineData("a-.example.com")]
    [InlineData("bücher.example")]
    [InlineData("a b.example")]
    [InlineData("10.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.123")]
    public void Names_no_certificate_should_carry_are_refused(string text)
    {
        Assert.False(TlsHostName.TryParse(text, out _));
        Assert.Throws<ArgumentException>(() => TlsHostName.Parse(text));
    }

    [Fact]
    public void Labels_longer_than_63_and_names_longer_than_253_are_refused()
    {
        Assert.True(TlsHostName.TryParse(new string('a', 63) + ".example", out _));
        Assert.False(TlsHostName.TryParse(new string('a', 64) + ".example", out _));
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".example";
        Assert.False(TlsHostName.TryParse(longName, out _));
    }
}
