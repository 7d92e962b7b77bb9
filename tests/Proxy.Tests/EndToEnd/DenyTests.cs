using System.Net;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>The host filter applied by the running proxy, for every way a target can be named.</summary>
public sealed class DenyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("2852039166")]
    [InlineData("0xa9fea9fe")]
    [InlineData("0251.0376.0251.0376")]
    [InlineData("169.254.43518")]
    [InlineData("[::ffff:169.254.169.254]")]
    [InlineData("[fd00:ec2::254]")]
    [InlineData("100.100.100.200")]
    [InlineData("[fe80::1]")]
    [InlineData("metadata.google.internal")]
    [InlineData("metadata")]
    [InlineData("instance-data")]
    public async Task Connect_to_metadata_target_is_refused(string host)
    {
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { AllowedHosts = [] }));

        var response = await Proxies.RawAsync(proxy.Port, $"CONNECT {host}:80 HTTP/1.1\r\nHost: {host}:80\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Connect, Decision: AuditDecision.Deny, Status: 403 });
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("0xa9fea9fe")]
    [InlineData("2852039166")]
    [InlineData("metadata.google.internal")]
    public async Task Forward_to_metadata_target_is_refused(string host)
    {
        await using var proxy = await Proxies.StartAsync();

        var response = await Proxies.RawAsync(proxy.Port, $"GET http://{host}/computeMetadata/v1/ HTTP/1.1\r\nHost: {host}\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", response);
    }

    [Fact]
    public async Task Name_resolving_to_link_local_is_refused_for_connect_forward_and_socks()
    {
        var config = Proxies.Loopback(c => c with
        {
            Resolver = (host, _) => ValueTask.FromResult(host == "rebind.test" ? [IPAddress.Parse("169.254.169.254")] : new[] { IPAddress.Loopback }),
        });
        await using var proxy = await Proxies.StartAsync(config);
        var auth = $"Proxy-Authorization: Bearer {proxy.Token}\r\n";

        var connect = await Proxies.RawAsync(proxy.Port, $"CONNECT rebind.test:443 HTTP/1.1\r\n{auth}\r\n");
        var forward = await Proxies.RawAsync(proxy.Port, $"GET http://rebind.test/ HTTP/1.1\r\nHost: rebind.test\r\n{auth}\r\n");
        var socks = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", "http://rebind.test/");

        Assert.StartsWith("HTTP/1.1 403", connect);
        Assert.StartsWith("HTTP/1.1 403", forward);
        Assert.Contains("link-local", forward);
        Assert.NotEqual(0, socks.ExitCode);
        Assert.All(proxy.DrainAuditEvents(), e => Assert.Equal(AuditDecision.Deny, e.Decision));
    }

    [Fact]
    public async Task Host_outside_the_allowlist_is_refused_and_listed_host_allowed()
    {
        await using var origin = new OriginServer();
        // The test origin's name resolves to loopback: "localhost" allows loopback explicitly.
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { AllowedHosts = [OriginServer.Host, "localhost"] }));
        using var client = Proxies.Client(proxy);

        using var denied = await client.GetAsync($"http://127.0.0.1:{origin.Port}/", Ct);
        using var allowed = await client.GetAsync($"{origin.Url}/", Ct);

        Assert.Equal(403, (int)denied.StatusCode);
        Assert.Contains("not in allowlist", await denied.Content.ReadAsStringAsync(Ct));
        Assert.Equal(200, (int)allowed.StatusCode);
        var audit = proxy.DrainAuditEvents();
        Assert.Contains(audit, e => e is { Decision: AuditDecision.Deny, Target: "127.0.0.1", Reason: "host not in allowlist" });
    }

    [Fact]
    public async Task Allowed_name_that_resolves_to_the_host_loopback_is_refused_on_every_path()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { AllowedHosts = ["*.test"] }));
        using var client = Proxies.Client(proxy);

        using var forwarded = await client.GetAsync($"{origin.Url}/", Ct);
        var connect = await Cli.Curl("-x", $"http://nono:{proxy.Token}@127.0.0.1:{proxy.Port}", "-p", "-o", "/dev/null", $"{origin.Url}/");
        var socks = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"{origin.Url}/");

        Assert.Equal(403, (int)forwarded.StatusCode);
        Assert.Contains("loopback", await forwarded.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotEqual(0, connect.ExitCode);
        Assert.NotEqual(0, socks.ExitCode);
        Assert.Empty(origin.Requests);
    }
}
