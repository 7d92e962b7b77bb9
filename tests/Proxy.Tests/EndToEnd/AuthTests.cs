using System.Net;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>The session token on proxy requests (CONNECT and forward).</summary>
public sealed class AuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_token_is_407_with_basic_challenge()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var forward = await Proxies.RawAsync(proxy.Port, $"GET {origin.Url}/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var connect = await Proxies.RawAsync(proxy.Port, $"CONNECT 127.0.0.1:{origin.Port} HTTP/1.1\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 407", forward);
        Assert.Contains("Proxy-Authenticate: Basic realm=\"nono\"", forward);
        Assert.StartsWith("HTTP/1.1 407", connect);
        Assert.Empty(origin.Requests);
    }

    [Theory]
    [InlineData("Bearer 0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Basic bm9ubzp3cm9uZw==")]
    [InlineData("Bearer")]
    [InlineData("Token abc")]
    public async Task Wrong_token_is_407(string header)
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var response = await Proxies.RawAsync(proxy.Port, $"GET {origin.Url}/ HTTP/1.1\r\nHost: x\r\nProxy-Authorization: {header}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 407", response);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Right_token_as_basic_or_bearer_is_accepted()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var basic = await Proxies.RawAsync(proxy.Port, $"GET {origin.Url}/b HTTP/1.1\r\nHost: x\r\nProxy-Authorization: {Proxies.BasicAuth(proxy.Token)}\r\nConnection: close\r\n\r\n");
        var bearer = await Proxies.RawAsync(proxy.Port, $"GET {origin.Url}/c HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", basic);
        Assert.StartsWith("HTTP/1.1 200", bearer);
    }

    [Theory]
    [InlineData("nono", "200")]
    [InlineData("deploy", "407")]
    [InlineData("admin", "407")]
    public async Task Basic_proxy_credentials_need_the_user_name_nono(string user, string expected)
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var result = await Cli.Curl("-o", "/dev/null", "-w", "%{http_code}", "-x", $"http://127.0.0.1:{proxy.Port}", "--proxy-user", $"{user}:{proxy.Token}", $"{origin.Url}/user");

        Assert.Equal(expected, result.Stdout);
        Assert.Equal(expected == "200" ? 1 : 0, origin.Requests.Count);
    }

    [Fact]
    public async Task Real_clients_without_token_are_refused()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        var noAuth = new[] { new KeyValuePair<string, string>("HTTP_PROXY", $"http://127.0.0.1:{proxy.Port}"), new KeyValuePair<string, string>("http_proxy", $"http://127.0.0.1:{proxy.Port}") };
        using var client = Proxies.Client(proxy, password: "not-the-token");

        var curl = await Cli.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", $"{origin.Url}/"], noAuth);
        var python = await Cli.PythonScript("import sys, requests\nprint(requests.get(sys.argv[1], timeout=20).status_code)", noAuth, $"{origin.Url}/");
        using var dotnet = await client.GetAsync($"{origin.Url}/", Ct);

        Assert.Equal("407", curl.Stdout);
        Assert.Equal("407", python.Stdout.Trim());
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, dotnet.StatusCode);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Auth_can_be_off_on_loopback_only()
    {
        await using var origin = new OriginServer();
        await using var open = await Proxies.StartAsync(Proxies.Loopback(c => c with { RequireAuth = false }));

        var response = await Proxies.RawAsync(open.Port, $"GET {origin.Url}/open HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var refused = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(Proxies.Loopback(c => c with { RequireAuth = false, BindAddress = "0.0.0.0" })));

        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.Contains("loopback", refused.Message);
    }

    [Fact]
    public async Task Refused_upload_can_still_be_sent_so_the_client_reads_the_refusal()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port, Ct);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes($"POST {origin.Url}/upload HTTP/1.1\r\nHost: x\r\nContent-Length: {64 * 16384}\r\n\r\n"), Ct);
        var head = new byte[512];
        var n = await socket.ReceiveAsync(head, Ct);

        // The refusal came before the body; a client that keeps uploading (as HTTP/1.1 clients do) must not
        // be reset: the proxy reads and drops the body before it closes.
        await Task.Delay(200, Ct); // a client slow to start its upload: the proxy must still be reading
        var chunk = new byte[16384];
        for (var i = 0; i < 64; i++)
            await socket.SendAsync(chunk, Ct);
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var rest = await Proxies.ReadAllAsync(socket, TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 407", System.Text.Encoding.ASCII.GetString(head, 0, n));
        Assert.Contains("Connection: close", System.Text.Encoding.ASCII.GetString(head, 0, n) + rest);
        Assert.Empty(origin.Requests);
    }
}
