using System.Net;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// The configured deny list wins over the allowlist, a wildcard in it included, on every way out:
/// absolute-form HTTP, CONNECT and SOCKS5, in any spelling of the name, and a route or host endpoint
/// entry cannot bring a denied host back.
/// </summary>
public sealed class DeniedHostTests
{
    private static ProxyConfig Config() => Proxies.Loopback(c => c with
    {
        AllowedHosts = ["*.corp.test", "localhost"],
        DeniedHosts = ["ads.corp.test", "*.tracking.corp.test"],
        Resolver = (host, ct) => host.EndsWith(".corp.test", StringComparison.Ordinal) ? ValueTask.FromResult(new[] { IPAddress.Loopback }) : Proxies.Resolve(host, ct),
    });

    private static Task<CliResult> CurlAsync(ProxyHandle proxy, params string[] args) =>
        Cli.RunAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", .. args], proxy.EnvVars());

    [Theory]
    [InlineData("ads.corp.test")]
    [InlineData("ADS.corp.test")]
    [InlineData("ads.corp.test.")]
    [InlineData("pixel.tracking.corp.test")]
    public async Task Denied_name_inside_an_allowed_wildcard_is_refused_over_http(string host)
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Config());

        var denied = await CurlAsync(proxy, $"http://{host}:{origin.Port}/quiet");
        var allowed = await CurlAsync(proxy, $"http://api.corp.test:{origin.Port}/quiet");

        Assert.Equal("403", denied.Stdout);
        Assert.Equal("200", allowed.Stdout);
        Assert.Single(origin.Requests);
        Assert.Contains(proxy.DrainAuditEvents(), e => e.Decision == AuditDecision.Deny && (e.Reason ?? string.Empty).StartsWith("denied by the profile's deny_domain entry ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_to_a_denied_name_is_refused()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Config());

        var denied = await Proxies.RawAsync(proxy.Port, $"CONNECT ads.corp.test:{origin.Port} HTTP/1.1\r\nHost: ads.corp.test:{origin.Port}\r\nProxy-Authorization: {Proxies.BasicAuth(proxy.Token)}\r\n\r\n");
        var allowed = await Proxies.RawAsync(proxy.Port, $"CONNECT api.corp.test:{origin.Port} HTTP/1.1\r\nHost: api.corp.test:{origin.Port}\r\nProxy-Authorization: {Proxies.BasicAuth(proxy.Token)}\r\n\r\n", TimeSpan.FromSeconds(1));

        Assert.StartsWith("HTTP/1.1 403", denied, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socks5_to_a_denied_name_is_refused()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Config());
        string[] socks = ["-x", $"socks5h://nono:{proxy.Token}@127.0.0.1:{proxy.Port}"];

        var denied = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", .. socks, $"http://ads.corp.test:{origin.Port}/quiet"], []);
        var allowed = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", .. socks, $"http://api.corp.test:{origin.Port}/quiet"], []);

        Assert.NotEqual(0, denied.ExitCode);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Single(origin.Requests);
    }

    [Fact]
    public async Task A_route_to_a_denied_host_is_refused_at_start()
    {
        var config = Config() with { Routes = [new RouteConfig { Prefix = "/ads", Upstream = "https://ads.corp.test" }] };

        var e = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(config));

        Assert.Contains("deny list", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_endpoint_entry_cannot_allow_a_denied_host()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Config() with
        {
            HostEndpoints = [new HostEndpointConfig { Host = "ads.corp.test" }],
        });

        var denied = await CurlAsync(proxy, $"http://ads.corp.test:{origin.Port}/quiet");

        Assert.Equal("403", denied.Stdout);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Malformed_deny_pattern_is_refused_at_start()
    {
        var config = Config() with { DeniedHosts = ["https://ads.corp.test/"] };

        var e = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(config));

        Assert.Contains("denied host", e.Message, StringComparison.Ordinal);
    }
}
