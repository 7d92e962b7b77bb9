using System.Net;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>SOCKS5 on the proxy's port, detected by its first byte.</summary>
public sealed class SocksTests
{
    [Fact]
    public async Task Curl_socks5_hostname_with_token_reaches_origin()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var result = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"{origin.Url}/socks");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("origin saw: GET /socks", result.Stdout);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Socks5, Decision: AuditDecision.Allow, Target: OriginServer.Host });
    }

    [Fact]
    public async Task Socks5_host_name_carrying_the_session_token_is_refused_before_any_lookup()
    {
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { AllowedHosts = [] }));

        var result = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"http://{proxy.Token}.example.invalid/");

        Assert.NotEqual(0, result.ExitCode);
        var audit = proxy.DrainAuditEvents();
        var refused = Assert.Single(audit, e => e.Mode == AuditMode.Socks5);
        Assert.Equal(AuditDecision.Deny, refused.Decision);
        Assert.DoesNotContain(proxy.Token, refused.Target ?? "", StringComparison.Ordinal);
        Assert.Contains("session token", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socks5_with_wrong_or_missing_token_is_refused()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var wrong = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", "nono:wrong", $"{origin.Url}/");
        var missing = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", $"{origin.Url}/");

        Assert.NotEqual(0, wrong.ExitCode);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Empty(origin.Requests);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("")]
    [InlineData("NONO")]
    public async Task Socks5_with_the_token_under_another_user_name_is_refused_as_for_http_basic(string user)
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var socks = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"{user}:{proxy.Token}", $"{origin.Url}/");
        var basic = await Cli.Curl("-x", $"http://127.0.0.1:{proxy.Port}", "--proxy-user", $"{user}:{proxy.Token}", "-o", "/dev/null", "-w", "%{http_code}", $"{origin.Url}/");

        Assert.NotEqual(0, socks.ExitCode);
        Assert.Equal("407", basic.Stdout);
        Assert.Empty(origin.Requests);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Socks5, Decision: AuditDecision.Deny, Status: 407 });
    }

    [Theory]
    [InlineData(new byte[] { 3, 15, (byte)'1', (byte)'6', (byte)'9', (byte)'.', (byte)'2', (byte)'5', (byte)'4', (byte)'.', (byte)'1', (byte)'6', (byte)'9', (byte)'.', (byte)'2', (byte)'5', (byte)'4' })]
    [InlineData(new byte[] { 3, 24, (byte)'m', (byte)'e', (byte)'t', (byte)'a', (byte)'d', (byte)'a', (byte)'t', (byte)'a', (byte)'.', (byte)'g', (byte)'o', (byte)'o', (byte)'g', (byte)'l', (byte)'e', (byte)'.', (byte)'i', (byte)'n', (byte)'t', (byte)'e', (byte)'r', (byte)'n', (byte)'a', (byte)'l' })]
    [InlineData(new byte[] { 3, 10, (byte)'2', (byte)'8', (byte)'5', (byte)'2', (byte)'0', (byte)'3', (byte)'9', (byte)'1', (byte)'6', (byte)'6' })]
    [InlineData(new byte[] { 3, 7, (byte)'[', (byte)'f', (byte)'e', (byte)'8', (byte)'0', (byte)':', (byte)':' })]
    public async Task Socks5_connect_to_metadata_is_refused_with_ruleset_reply(byte[] address)
    {
        await using var proxy = await Proxies.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port, TestContext.Current.CancellationToken);
        var token = Encoding.ASCII.GetBytes(proxy.Token);
        byte[] hello = [5, 1, 2, 1, 4, (byte)'n', (byte)'o', (byte)'n', (byte)'o', (byte)token.Length, .. token, 5, 1, 0, .. address, 0, 80];

        await socket.SendAsync(hello, TestContext.Current.CancellationToken);
        var reply = Encoding.Latin1.GetBytes(await Proxies.ReadAllAsync(socket, TimeSpan.FromSeconds(10)));

        Assert.Equal(new byte[] { 5, 2, 1, 0 }, reply[..4]);
        Assert.Equal(2, reply[5]); // connection not allowed by ruleset
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Socks5, Decision: AuditDecision.Deny });
    }

    [Fact]
    public async Task HttpClient_over_socks5_with_token_credentials()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy($"socks5://127.0.0.1:{proxy.Port}") { Credentials = new NetworkCredential("nono", proxy.Token) },
        };
        using var client = new HttpClient(handler);

        var body = await client.GetStringAsync($"{origin.Url}/dotnet-socks", TestContext.Current.CancellationToken);

        Assert.Contains("origin saw: GET /dotnet-socks", body);
    }
}
