using System.Net;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Tests.Unit;

public sealed class HostFilterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HostFilter Filter(string[]? allowed = null, Dictionary<string, string[]>? dns = null) =>
        new(new ProxyConfig
        {
            AllowedHosts = allowed ?? [],
            Resolver = (host, _) => dns is not null && dns.TryGetValue(host, out var a)
                ? ValueTask.FromResult(a.Select(IPAddress.Parse).ToArray())
                : ValueTask.FromResult(new[] { IPAddress.Parse("93.184.216.34") }),
        });

    public static TheoryData<string> MetadataEncodings =>
    [
        "169.254.169.254", "2852039166", "0xa9fea9fe", "0XA9FEA9FE", "0251.0376.0251.0376", "169.254.43518",
        "169.16689662", "0xa9.0xfe.0xa9.0xfe", "0251.254.0xa9.254", "169.254.169.254.", "[::ffff:169.254.169.254]",
        "::ffff:a9fe:a9fe", "[0:0:0:0:0:ffff:a9fe:a9fe]", "::169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1",
        "fd00:ec2::254", "100.100.100.200", "fe80::1", "[fe80::a9fe:a9fe%25eth0]", "FE80::1", "169.254.0.1",
        "0x64.0x64.0x64.0xc8", "1684301000",
        "::ffff:0:a9fe:a9fe", "[::ffff:0:169.254.169.254]", "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:0:a9:fea9:fe00::",
        "64:ff9b:1:a9:fe:a9fe::", "168.63.129.16", "::ffff:168.63.129.16", "2822734096",
    ];

    [Theory]
    [MemberData(nameof(MetadataEncodings))]
    public async Task Metadata_and_link_local_addresses_are_refused_in_every_encoding(string host)
    {
        var decision = await Filter().CheckAsync(host, 80, Ct);
        Assert.False(decision.Allowed, $"{host} -> {decision.Host}");
        Assert.Contains("always denied", decision.Reason);
    }

    [Theory]
    [InlineData("metadata.google.internal")]
    [InlineData("METADATA.GOOGLE.INTERNAL.")]
    [InlineData("metadata.azure.internal")]
    [InlineData("metadata")]
    [InlineData("instance-data")]
    [InlineData("instance-data.ec2.internal")]
    [InlineData("computeMetadata.metadata.google.internal")]
    public async Task Metadata_names_are_refused_even_when_allowlisted(string host)
    {
        var decision = await Filter([host, "*.internal", "*.google.internal"]).CheckAsync(host, 80, Ct);
        Assert.False(decision.Allowed);
        Assert.Contains("metadata", decision.Reason);
    }

    [Fact]
    public async Task Allowlisted_metadata_address_is_still_refused()
    {
        var decision = await Filter(["169.254.169.254"]).CheckAsync("169.254.169.254", 80, Ct);
        Assert.False(decision.Allowed);
    }

    [Fact]
    public async Task Name_resolving_to_link_local_is_refused()
    {
        var filter = Filter(["rebind.example"], new() { ["rebind.example"] = ["169.254.169.254"] });
        var decision = await filter.CheckAsync("rebind.example", 443, Ct);
        Assert.False(decision.Allowed);
        Assert.Contains("resolves to link-local", decision.Reason);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task Allowed_name_resolving_to_loopback_is_refused_unless_loopback_is_allowed_explicitly(string address)
    {
        var dns = new Dictionary<string, string[]> { ["rebind.example.com"] = ["93.184.216.34", address] };

        var wildcard = await Filter(["*.example.com"], dns).CheckAsync("rebind.example.com", 443, Ct);
        var exact = await Filter(["rebind.example.com"], dns).CheckAsync("rebind.example.com", 443, Ct);
        var withLocalhost = await Filter(["*.example.com", "localhost"], dns).CheckAsync("rebind.example.com", 443, Ct);
        var withLiteral = await Filter(["*.example.com", "0x7f.1"], dns).CheckAsync("rebind.example.com", 443, Ct);

        Assert.False(wildcard.Allowed);
        Assert.Contains("loopback", wildcard.Reason, StringComparison.Ordinal);
        Assert.False(exact.Allowed);
        Assert.True(withLocalhost.Allowed, withLocalhost.Reason);
        Assert.True(withLiteral.Allowed, withLiteral.Reason);
    }

    [Fact]
    public async Task Route_upstream_named_by_the_configuration_may_resolve_to_loopback()
    {
        var filter = new HostFilter(new ProxyConfig
        {
            AllowedHosts = ["*.example.com"],
            Routes = [new RouteConfig { Prefix = "/llm", Upstream = "http://llm.internal:11434" }],
            Resolver = (_, _) => ValueTask.FromResult(new[] { IPAddress.Loopback }),
        });

        Assert.True((await filter.CheckAsync("llm.internal", 11434, Ct)).Allowed);
        Assert.False((await filter.CheckAsync("other.example.com", 443, Ct)).Allowed);
    }

    [Fact]
    public async Task Name_with_one_link_local_address_among_good_ones_is_refused()
    {
        var filter = Filter(null, new() { ["mixed.example"] = ["93.184.216.34", "::ffff:169.254.1.1"] });
        Assert.False((await filter.CheckAsync("mixed.example", 443, Ct)).Allowed);
    }

    [Fact]
    public async Task Allowed_name_returns_the_addresses_it_checked()
    {
        var filter = Filter(null, new() { ["ok.example"] = ["10.1.2.3", "192.168.1.1"] });
        var decision = await filter.CheckAsync("ok.example", 443, Ct);
        Assert.True(decision.Allowed);
        Assert.Equal(["10.1.2.3", "192.168.1.1"], decision.Addresses.Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "badexample.com", false)]
    [InlineData("*.example.com", "API.EXAMPLE.COM.", true)]
    [InlineData("Example.COM.", "example.com", true)]
    [InlineData("example.com", "www.example.com", false)]
    [InlineData("127.0.0.1", "2130706433", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    public void Allowlist_matching(string pattern, string host, bool allowed)
    {
        Assert.Equal(allowed, Filter([pattern]).CheckName(host, 443).Allowed);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.0.10")]
    [InlineData("127.0.0.1")]
    [InlineData("any.example.org")]
    public void Empty_allowlist_allows_everything_not_on_the_deny_list_including_rfc1918(string host)
    {
        Assert.True(Filter().CheckName(host, 443).Allowed);
    }

    [Theory]
    [InlineData("1.2.3.256")]
    [InlineData("08.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("foo.123")]
    [InlineData("0x1.0x100.1.1")]
    [InlineData("bad host")]
    [InlineData("a..b")]
    public void Numeric_looking_or_malformed_hosts_that_are_not_valid_addresses_are_refused(string host)
    {
        Assert.False(Filter().CheckName(host, 443).Allowed);
    }

    [Fact]
    public void Route_upstreams_are_reachable_without_an_allowlist_entry()
    {
        var filter = new HostFilter(new ProxyConfig
        {
            AllowedHosts = ["other.example"],
            Routes = [new RouteConfig { Prefix = "/api", Upstream = "https://api.example.net" }],
        });
        Assert.True(filter.CheckName("api.example.net", 443).Allowed);
        Assert.False(filter.CheckName("www.example.net", 443).Allowed);
    }

    [Theory]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("0177.0.0.01", "127.0.0.1")]
    [InlineData("10.0x10.0", "10.16.0.0")]
    public void Ipv4_literals_follow_inet_aton(string text, string expected)
    {
        Assert.Equal(IpLiteral.Kind.Address, IpLiteral.Classify(text, out var address));
        Assert.Equal(expected, address!.ToString());
    }
}
