using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>Plain http:// requests through the proxy (absolute form), with real clients.</summary>
public sealed class ForwardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HttpClient_forward_get_reaches_origin_without_proxy_headers()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        var body = await client.GetStringAsync($"{origin.Url}/hello?x=1", Ct);

        Assert.Contains("origin saw: GET /hello?x=1", body);
        var seen = Assert.Single(origin.Requests);
        Assert.Null(seen.Header("Proxy-Authorization"));
        Assert.Null(seen.Header("Proxy-Connection"));
        Assert.Equal($"{OriginServer.Host}:{origin.Port}", seen.Header("Host"));
        var audit = proxy.DrainAuditEvents();
        Assert.Contains(audit, e => e is { Mode: AuditMode.Forward, Decision: AuditDecision.Allow, Status: 200, Path: "/hello", Target: OriginServer.Host });
    }

    [Fact]
    public async Task HttpClient_forward_post_streams_content_length_and_chunked_bodies()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);
        var payload = new string('p', 300_000);

        using var fixedBody = await client.PostAsync($"{origin.Url}/upload", new StringContent(payload), Ct);
        var chunkedContent = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload)));
        var request = new HttpRequestMessage(HttpMethod.Post, $"{origin.Url}/upload2") { Content = chunkedContent };
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(request, Ct);

        Assert.Equal(200, (int)fixedBody.StatusCode);
        Assert.Equal(200, (int)chunked.StatusCode);
        Assert.All(origin.Requests, r => Assert.Equal(payload, Encoding.UTF8.GetString(r.Body)));
        Assert.Equal(2, origin.Requests.Count);
    }

    [Fact]
    public async Task Chunked_response_is_relayed_intact()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        Assert.Equal("hello world", await client.GetStringAsync($"{origin.Url}/chunked", Ct));
    }

    [Fact]
    public async Task Large_download_is_streamed_completely()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        var bytes = await client.GetByteArrayAsync($"{origin.Url}/bytes/5000000", Ct);

        Assert.Equal(5_000_000, bytes.Length);
        Assert.All(bytes, b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public async Task Keep_alive_reuses_the_client_and_upstream_connections()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        var auth = Proxies.BasicAuth(proxy.Token);
        var one = $"GET {origin.Url}/a HTTP/1.1\r\nHost: {OriginServer.Host}:{origin.Port}\r\nProxy-Authorization: {auth}\r\n\r\n";
        var last = $"GET {origin.Url}/b HTTP/1.1\r\nHost: {OriginServer.Host}:{origin.Port}\r\nProxy-Authorization: {auth}\r\nConnection: close\r\n\r\n";

        var response = await Proxies.RawAsync(proxy.Port, one + one + last);

        Assert.Equal(3, CountOf(response, "HTTP/1.1 200 OK"));
        Assert.Equal(3, origin.Requests.Count);
        Assert.Equal(1, origin.Connections);
    }

    [Fact]
    public async Task Curl_forward_with_proxy_url_from_env_vars()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", $"{origin.Url}/curl"], proxy.EnvVars());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("origin saw: GET /curl", result.Stdout);
    }

    [Fact]
    public async Task Python_urllib_forward_with_env_vars()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        const string script = "import sys, urllib.request\nprint(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())";

        var result = await Cli.PythonScript(script, proxy.EnvVars(), $"{origin.Url}/urllib");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("origin saw: GET /urllib", result.Stdout);
    }

    [Fact]
    public async Task Python_requests_forward_post_with_env_vars()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        const string script = "import sys, requests\nr = requests.post(sys.argv[1], data=b'abc' * 1000, timeout=20)\nprint(r.status_code)\nprint(r.text)";

        var result = await Cli.PythonScript(script, proxy.EnvVars(), $"{origin.Url}/requests");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("200", result.Stdout);
        Assert.Equal(3000, Assert.Single(origin.Requests).Body.Length);
    }

    [Fact]
    public async Task Upstream_refusing_connections_is_a_502_with_a_reason()
    {
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);
        var closedPort = FreePort();

        using var response = await client.GetAsync($"http://127.0.0.1:{closedPort}/", Ct);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("connection refused", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Upstream_reset_mid_body_closes_the_client_connection()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetByteArrayAsync($"{origin.Url}/reset", Ct));

        var curl = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "-o", "/dev/null", $"{origin.Url}/reset"], proxy.EnvVars());
        // 18 (partial file) or 56 (receive failure): either way curl knows the transfer did not complete.
        Assert.Contains(curl.ExitCode, new[] { 18, 56 });
    }

    internal static int CountOf(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }

    internal static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Upstream_dropping_a_kept_alive_connection_is_retried_on_a_fresh_one()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        for (var i = 0; i < 3; i++)
            Assert.Equal("ok", await client.GetStringAsync($"{origin.Url}/close-after", Ct));

        Assert.Equal(3, origin.Connections);
    }

    [Fact]
    public async Task Malformed_upstream_response_is_a_502()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        using var response = await client.GetAsync($"{origin.Url}/bad-status", Ct);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("malformed response", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Upstream_connection_with_stray_bytes_is_not_reused()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        Assert.Equal("ok", await client.GetStringAsync($"{origin.Url}/extra-bytes", Ct));
        Assert.Contains("origin saw: GET /next", await client.GetStringAsync($"{origin.Url}/next", Ct));

        Assert.Equal(2, origin.Connections);
    }
}
