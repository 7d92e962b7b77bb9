using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>Chaining through a corporate proxy (a second proxy instance plays that role), and its bypass list.</summary>
public sealed class ExternalProxyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ProxyHandle> StartChainedAsync(ProxyHandle corporate, string? password = null, string[]? bypass = null) =>
        await Proxies.StartAsync(Proxies.Loopback(c => c with
        {
            ExternalProxy = new ExternalProxyConfig
            {
                Address = $"127.0.0.1:{corporate.Port}",
                Username = "nono",
                Password = password ?? corporate.Token,
                BypassHosts = bypass ?? [],
            },
        }));

    [Fact]
    public async Task Connect_and_forward_go_through_the_external_proxy_with_its_credentials()
    {
        await using var origin = new OriginServer();
        await using var tls = new OriginServer(TestCertificates.Localhost);
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await StartChainedAsync(corporate);
        using var client = Proxies.Client(proxy, trustAny: true);

        var https = await client.GetStringAsync($"{tls.Url}/via-corp", Ct);
        var plain = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", $"{origin.Url}/plain-via-corp"], proxy.EnvVars());

        Assert.Contains("origin saw: GET /via-corp", https);
        Assert.Contains("origin saw: GET /plain-via-corp", plain.Stdout);
        var corporateAudit = corporate.DrainAuditEvents();
        Assert.Contains(corporateAudit, e => e is { Mode: AuditMode.Connect, Target: OriginServer.Host } && e.Port == tls.Port);

        // Plain http goes to the external proxy as an absolute-form request, not a CONNECT: proxies
        // commonly refuse CONNECT to any port but 443.
        Assert.Contains(corporateAudit, e => e is { Mode: AuditMode.Forward, Target: OriginServer.Host, Path: "/plain-via-corp" } && e.Port == origin.Port);
        Assert.DoesNotContain(corporateAudit, e => e.Mode == AuditMode.Connect && e.Port == origin.Port);
        Assert.Contains(proxy.DrainAuditEvents(), e => e.Mode == AuditMode.External);
    }

    [Fact]
    public async Task Bypass_hosts_are_reached_directly()
    {
        await using var origin = new OriginServer();
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await StartChainedAsync(corporate, bypass: [OriginServer.Host]);

        var result = await Cli.RunAsync("curl", ["-sS", "-p", "--max-time", "20", $"{origin.Url}/direct"], proxy.EnvVars());

        Assert.Contains("origin saw: GET /direct", result.Stdout);
        Assert.Empty(corporate.DrainAuditEvents());
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Connect, Target: OriginServer.Host });
    }

    [Fact]
    public async Task External_proxy_refusing_credentials_is_a_502_naming_it()
    {
        await using var origin = new OriginServer();
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await StartChainedAsync(corporate, password: "wrong");

        var response = await Proxies.RawAsync(proxy.Port, $"CONNECT localhost:{origin.Port} HTTP/1.1\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 502", response);
        Assert.Contains("requires authentication", response);
        Assert.DoesNotContain("wrong", response);
    }

    [Fact]
    public async Task Plain_http_requests_reuse_one_connection_to_the_external_proxy_and_carry_its_credentials()
    {
        await using var origin = new OriginServer();
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await StartChainedAsync(corporate);
        using var client = Proxies.Client(proxy);

        for (var i = 0; i < 3; i++)
            Assert.Contains($"origin saw: GET /keep-{i}", await client.GetStringAsync($"{origin.Url}/keep-{i}", Ct));

        // The corporate proxy requires its token: three answered requests mean three authorised ones.
        var forwarded = corporate.DrainAuditEvents().Where(e => e.Mode == AuditMode.Forward).ToList();
        Assert.Equal(3, forwarded.Count);
        Assert.All(forwarded, e => Assert.Equal(200, e.Status));
    }

    [Fact]
    public async Task External_proxy_refusing_credentials_for_plain_http_is_a_502_not_its_challenge()
    {
        await using var origin = new OriginServer();
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await StartChainedAsync(corporate, password: "wrong");

        var response = await Proxies.RawAsync(proxy.Port, $"GET {origin.Url}/x HTTP/1.1\r\nHost: {OriginServer.Host}:{origin.Port}\r\nProxy-Authorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 502", response);
        Assert.Contains("external proxy requires authentication", response);
        Assert.DoesNotContain("Proxy-Authenticate", response);
        Assert.DoesNotContain("wrong", response);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Metadata_targets_are_refused_before_reaching_the_external_proxy()
    {
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await StartChainedAsync(corporate);

        var response = await Proxies.RawAsync(proxy.Port, $"CONNECT 169.254.169.254:80 HTTP/1.1\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.Empty(corporate.DrainAuditEvents());
    }
}
