using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>
/// SOCKS5 tunnels get the same interception decision as CONNECT: a tunnel to a route's upstream (or any
/// tunnel under intercept_all) is terminated with the session CA, so the phantom token and endpoint rules
/// hold whichever way a client asks for the tunnel.
/// </summary>
public sealed class SocksInterceptTests
{
    private static string[] Socks(InterceptSession s, params string[] rest) =>
        ["-sS", "--max-time", "20", "-x", $"socks5h://nono:{s.Proxy.Token}@127.0.0.1:{s.Proxy.Port}", .. rest];

    [Fact]
    public async Task Socks5_tunnel_to_a_route_upstream_is_intercepted_not_end_to_end()
    {
        await using var s = await InterceptSession.StartAsync();

        // Trusting only the origin's own CA succeeds only when the client sees the origin's certificate.
        var result = await Cli.RunAsync("curl", Socks(s, "--cacert", s.Pki.CaPemPath, $"{s.Origin.Url}/v1/quiet"), []);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Socks5_tunnel_to_a_route_upstream_gets_the_phantom_check_and_the_credential()
    {
        await using var s = await InterceptSession.StartAsync();
        var bundle = s.Proxy.InterceptCaPath!;

        var without = await Cli.RunAsync("curl", Socks(s, "--cacert", bundle, "-o", "/dev/null", "-w", "%{http_code}", $"{s.Origin.Url}/v1/quiet"), []);
        var with = await Cli.RunAsync("curl", Socks(s, "--cacert", bundle, "-H", "Authorization: Bearer " + s.Proxy.Token, $"{s.Origin.Url}/v1/quiet"), []);

        Assert.Equal("401", without.Stdout);
        Assert.True(with.ExitCode == 0, with.ToString());
        Assert.Equal("ok", with.Stdout);
        Assert.Equal("Bearer " + s.Secret, Assert.Single(s.Origin.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Socks5_tunnel_is_held_to_the_endpoint_rules()
    {
        await using var s = await InterceptSession.StartAsync(c => c with
        {
            Routes = [c.Routes[0] with { EndpointRules = [new EndpointRule("GET", "/v1/**")] }],
        });

        var denied = await Cli.RunAsync("curl", Socks(s, "--cacert", s.Proxy.InterceptCaPath!, "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer " + s.Proxy.Token, $"{s.Origin.Url}/admin/quiet"), []);

        Assert.Equal("403", denied.Stdout);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Socks5_tunnel_under_intercept_all_is_intercepted()
    {
        await using var s = await InterceptSession.StartAsync(c => c with { TlsIntercept = c.TlsIntercept! with { InterceptAll = true } });
        await using var other = new OriginServer(OriginPki.Leaf);

        var result = await Cli.RunAsync("curl", Socks(s, "--cacert", s.Pki.CaPemPath, $"{other.Url}/quiet"), []);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(other.Requests);
    }
}
