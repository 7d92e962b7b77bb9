using System.Net;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>Malformed and oversized requests, timeouts and the connection limit.</summary>
public sealed class LimitsTests
{
    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400)]
    [InlineData("POST http://127.0.0.1/ HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("GET / HTTP/3.0\r\n\r\n", 505)]
    [InlineData("GET ftp://x/ HTTP/1.1\r\n\r\n", 400)]
    public async Task Malformed_requests_get_an_error_status(string request, int status)
    {
        await using var proxy = await Proxies.StartAsync();
        var response = await Proxies.RawAsync(proxy.Port, request);
        Assert.StartsWith($"HTTP/1.1 {status}", response);
    }

    [Fact]
    public async Task Request_line_too_long_is_414()
    {
        await using var proxy = await Proxies.StartAsync();
        var response = await Proxies.RawAsync(proxy.Port, "GET /" + new string('a', 20_000) + " HTTP/1.1\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 414", response);
    }

    [Fact]
    public async Task Header_block_too_large_is_431()
    {
        await using var proxy = await Proxies.StartAsync();
        var headers = string.Concat(Enumerable.Range(0, 100).Select(i => $"X-Filler-{i}: {new string('h', 500)}\r\n"));
        var response = await Proxies.RawAsync(proxy.Port, "GET http://127.0.0.1/ HTTP/1.1\r\n" + headers + "\r\n");
        Assert.StartsWith("HTTP/1.1 431", response);
    }

    [Fact]
    public async Task Slow_request_head_is_408()
    {
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { HeaderTimeout = TimeSpan.FromSeconds(1) }));
        var response = await Proxies.RawAsync(proxy.Port, "GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127", TimeSpan.FromSeconds(15));
        Assert.StartsWith("HTTP/1.1 408", response);
    }

    [Fact]
    public async Task Connection_over_the_limit_gets_503_not_a_silent_drop()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { MaxConnections = 2 }));
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await first.ConnectAsync(IPAddress.Loopback, proxy.Port, TestContext.Current.CancellationToken);
        await second.ConnectAsync(IPAddress.Loopback, proxy.Port, TestContext.Current.CancellationToken);
        await first.SendAsync(Encoding.ASCII.GetBytes("GET http://127.0.0.1/ HTTP/1.1\r\n"), TestContext.Current.CancellationToken);
        await second.SendAsync(Encoding.ASCII.GetBytes("GET http://127.0.0.1/ HTTP/1.1\r\n"), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        var curl = await Cli.RunAsync("curl", ["-s", "-w", "\n%{http_code}", "--max-time", "20", $"{origin.Url}/"], proxy.EnvVars());

        Assert.EndsWith("503", curl.Stdout);
        Assert.Contains("too many connections", curl.Stdout);
        Assert.Empty(origin.Requests);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Status: 503, Decision: AuditDecision.Deny });
    }

    [Fact]
    public async Task Idle_tunnel_is_closed_after_the_idle_timeout()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { IdleTimeout = TimeSpan.FromSeconds(1) }));

        var response = await Proxies.RawAsync(proxy.Port, $"CONNECT {OriginServer.Host}:{origin.Port} HTTP/1.1\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n", TimeSpan.FromSeconds(20));

        // RawAsync returns when the proxy closes; before the 20 s wait is up means the idle timeout closed it.
        Assert.Equal("HTTP/1.1 200 Connection Established\r\n\r\n", response);
    }

    [Fact]
    public async Task Http10_client_gets_a_close_delimited_response_for_a_chunked_upstream()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var response = await Proxies.RawAsync(proxy.Port, $"GET {origin.Url}/chunked HTTP/1.0\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.Contains("Connection: close", response);
        Assert.DoesNotContain("Transfer-Encoding", response);
        Assert.EndsWith("\r\n\r\nhello world", response);
    }
}
