using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary><see cref="ProxyConfig.DenyUnlistedHosts"/>: an empty allowlist that means "no host", not "every host".</summary>
public sealed class NoHostAllowedTests
{
    [Fact]
    public async Task Empty_exhaustive_allowlist_refuses_every_host_but_the_routes_upstreams()
    {
        await using var origin = new OriginServer();
        await using var routed = new OriginServer();
        var config = Proxies.Loopback(c => c with
        {
            DenyUnlistedHosts = true,
            Routes = [new RouteConfig { Prefix = "/svc", Upstream = $"http://localhost:{routed.Port}" }],
        });
        await using var proxy = await Proxies.StartAsync(config);

        var refused = await Cli.RunAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "--noproxy", "", $"{origin.Url}/quiet"], proxy.EnvVars());
        var viaRoute = await Cli.RunAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "--noproxy", "", "-H", "Authorization: Bearer " + proxy.Token, $"http://localhost:{routed.Port}/quiet"], proxy.EnvVars());

        Assert.Equal("403", refused.Stdout);
        Assert.Empty(origin.Requests);
        Assert.Equal("200", viaRoute.Stdout);
    }

    [Fact]
    public async Task Empty_allowlist_without_the_flag_still_allows_every_host()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var result = await Cli.RunAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", $"{origin.Url}/quiet"], proxy.EnvVars());

        Assert.Equal("200", result.Stdout);
    }
}
