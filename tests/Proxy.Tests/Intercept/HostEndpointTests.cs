using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>
/// Endpoint rules on a host that is not a credential route: every tunnel to it is intercepted, and only
/// the listed method and path pairs reach the origin, whichever way the client asks (CONNECT, SOCKS5,
/// absolute-form plain HTTP) and however it spells the path.
/// </summary>
public sealed class HostEndpointTests
{
    private static readonly EndpointRule[] ReadV1 = [new("GET", "/v1/**")];

    private static Task<InterceptSession> StartAsync(params EndpointRule[] rules) =>
        InterceptSession.StartAsync(c => c with
        {
            Routes = [],
            DenyUnlistedHosts = true,
            // The test origin resolves to loopback, which an allowlist only reaches when it names it.
            AllowedHosts = ["localhost"],
            HostEndpoints = [new HostEndpointConfig { Host = OriginServer.Host, Rules = rules }],
        });

    private static Task<CliResult> CurlAsync(InterceptSession s, params string[] args) =>
        Cli.RunAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", .. args], s.Proxy.EnvVars());

    [Fact]
    public async Task Curl_through_interception_reaches_a_listed_endpoint_and_is_refused_an_unlisted_one()
    {
        await using var s = await StartAsync(ReadV1);

        var listed = await CurlAsync(s, $"{s.Origin.Url}/v1/quiet");
        var otherPath = await CurlAsync(s, $"{s.Origin.Url}/admin/quiet");
        var otherMethod = await CurlAsync(s, "-X", "POST", "-d", "x", $"{s.Origin.Url}/v1/quiet");

        Assert.Equal("200", listed.Stdout);
        Assert.Equal("403", otherPath.Stdout);
        Assert.Equal("403", otherMethod.Stdout);
        var seen = Assert.Single(s.Origin.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/v1/quiet", seen.Target);
        Assert.Contains(s.Proxy.DrainAuditEvents(), e => e is { Decision: AuditDecision.Deny, Path: "/admin/quiet" });
    }

    [Theory]
    [InlineData("/v1/../admin/quiet")]
    [InlineData("/v1/%2e%2e/admin/quiet")]
    [InlineData("/v1%2f..%2fadmin/quiet")]
    public async Task Dot_segments_cannot_walk_out_of_a_listed_path(string path)
    {
        await using var s = await StartAsync(ReadV1);

        var result = await CurlAsync(s, "--path-as-is", $"{s.Origin.Url}{path}");

        Assert.StartsWith("4", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Client_pinning_the_origin_certificate_gets_no_opaque_tunnel_around_the_rules()
    {
        await using var s = await StartAsync(ReadV1);

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "--cacert", s.Pki.CaPemPath, $"{s.Origin.Url}/admin/quiet"], s.Proxy.EnvVars());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Socks5_tunnel_is_held_to_the_host_rules()
    {
        await using var s = await StartAsync(ReadV1);
        string[] socks = ["-x", $"socks5h://nono:{s.Proxy.Token}@127.0.0.1:{s.Proxy.Port}", "--cacert", s.Proxy.InterceptCaPath!];

        var denied = await CurlAsync(s, [.. socks, $"{s.Origin.Url}/admin/quiet"]);
        var allowed = await CurlAsync(s, [.. socks, $"{s.Origin.Url}/v1/quiet"]);

        Assert.Equal("403", denied.Stdout);
        Assert.Equal("200", allowed.Stdout);
        Assert.Equal("/v1/quiet", Assert.Single(s.Origin.Requests).Target);
    }

    [Fact]
    public async Task Plain_http_request_in_absolute_form_is_held_to_the_host_rules()
    {
        await using var plain = new OriginServer();
        await using var s = await InterceptSession.StartAsync(c => c with
        {
            Routes = [],
            DenyUnlistedHosts = true,
            AllowedHosts = ["localhost"],
            HostEndpoints = [new HostEndpointConfig { Host = OriginServer.Host, Rules = ReadV1 }],
        });

        var denied = await CurlAsync(s, $"{plain.Url}/admin/quiet");
        var allowed = await CurlAsync(s, $"{plain.Url}/v1/quiet");

        Assert.Equal("403", denied.Stdout);
        Assert.Equal("200", allowed.Stdout);
        Assert.Equal("/v1/quiet", Assert.Single(plain.Requests).Target);
    }

    [Fact]
    public async Task Host_entry_without_rules_is_an_opaque_tunnel()
    {
        await using var s = await StartAsync();

        // Trusting only the origin's own CA succeeds only when the client sees the origin's certificate.
        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "--cacert", s.Pki.CaPemPath, $"{s.Origin.Url}/admin/quiet"], s.Proxy.EnvVars());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok", result.Stdout);
    }

    [Fact]
    public async Task Endpoint_rules_without_interception_are_refused_at_start()
    {
        var config = Proxies.Loopback(c => c with
        {
            HostEndpoints = [new HostEndpointConfig { Host = "api.example.com", Rules = ReadV1 }],
        });

        var e = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(config));

        Assert.Contains("TLS interception", e.Message, StringComparison.Ordinal);
    }
}
