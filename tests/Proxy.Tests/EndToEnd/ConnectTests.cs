using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>CONNECT tunnels, with TLS end to end between client and origin.</summary>
public sealed class ConnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HttpClient_https_through_connect_tunnel()
    {
        await using var origin = new OriginServer(TestCertificates.Localhost);
        await using var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy, trustAny: true);

        var body = await client.GetStringAsync($"{origin.Url}/tls?q=secret", Ct);

        Assert.Contains("origin saw: GET /tls?q=secret", body);
        // HttpClient first tries without credentials (407), then answers the challenge.
        var e = Assert.Single(proxy.DrainAuditEvents(), e => e.Decision == AuditDecision.Allow);
        Assert.Equal((AuditMode.Connect, OriginServer.Host, origin.Port, 200), (e.Mode, e.Target, e.Port, e.Status));
    }

    [Fact]
    public async Task Curl_proxytunnel_and_https()
    {
        await using var plain = new OriginServer();
        await using var tls = new OriginServer(TestCertificates.Localhost);
        await using var proxy = await Proxies.StartAsync();

        var tunnel = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "-p", $"{plain.Url}/tunnelled"], proxy.EnvVars());
        var https = await Cli.RunAsync("curl", ["-sS", "-k", "--max-time", "20", $"{tls.Url}/curl-tls"], proxy.EnvVars());

        Assert.True(tunnel.ExitCode == 0, tunnel.ToString());
        Assert.Contains("origin saw: GET /tunnelled", tunnel.Stdout);
        Assert.True(https.ExitCode == 0, https.ToString());
        Assert.Contains("origin saw: GET /curl-tls", https.Stdout);
    }

    [Fact]
    public async Task Python_requests_and_urllib_https_through_connect()
    {
        await using var tls = new OriginServer(TestCertificates.Localhost);
        await using var proxy = await Proxies.StartAsync();
        const string script = """
            import sys, ssl, urllib.request, requests, urllib3
            urllib3.disable_warnings()
            print(requests.get(sys.argv[1] + "/requests", verify=False, timeout=20).text)
            ctx = ssl._create_unverified_context()
            print(urllib.request.urlopen(sys.argv[1] + "/urllib", context=ctx, timeout=20).read().decode())
            """;

        var result = await Cli.PythonScript(script, proxy.EnvVars(), $"{tls.Url}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("origin saw: GET /requests", result.Stdout);
        Assert.Contains("origin saw: GET /urllib", result.Stdout);
    }

    [Fact]
    public async Task Tunnel_carries_bulk_data_both_ways()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        var body = new string('u', 3_000_000);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, body, Ct);
        try
        {
            var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "30", "-p", "--data-binary", "@" + file, "-o", "/dev/null", "-w", "%{http_code} %{size_download}", $"{origin.Url}/bytes/4000000"], proxy.EnvVars());

            Assert.Equal("200 4000000", result.Stdout);
            Assert.Equal(3_000_000, Assert.Single(origin.Requests).Body.Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Connect_to_closed_port_is_502()
    {
        await using var proxy = await Proxies.StartAsync();
        var port = ForwardTests.FreePort();

        var response = await Proxies.RawAsync(proxy.Port, $"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 502", response);
    }

    [Fact]
    public async Task Connect_without_port_is_400()
    {
        await using var proxy = await Proxies.StartAsync();
        var response = await Proxies.RawAsync(proxy.Port, $"CONNECT example.com HTTP/1.1\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", response);
    }

    [Fact]
    public async Task Tunnel_relays_many_short_exchanges_and_half_closes_each_way()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var originPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var origin = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync(Ct);
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal($"ping {i}\n", await ReadAsciiAsync(peer, $"ping {i}\n".Length));
                await peer.SendAsync(System.Text.Encoding.ASCII.GetBytes($"pong {i}\n"), Ct);
            }

            // The client's half-close must arrive as the end of its stream, after its last bytes.
            Assert.Equal("last", await ReadToEndAsync(peer));
            await peer.SendAsync("bye"u8.ToArray(), Ct);
            peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }, Ct);

        await using var proxy = await Proxies.StartAsync();
        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await client.ConnectAsync(System.Net.IPAddress.Loopback, proxy.Port, Ct);
        var connect = $"CONNECT 127.0.0.1:{originPort} HTTP/1.1\r\nHost: 127.0.0.1:{originPort}\r\nProxy-Authorization: Bearer {proxy.Token}\r\n\r\n";
        await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(connect), Ct);
        var reply = new System.Text.StringBuilder();
        while (!reply.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            reply.Append(await ReadAsciiAsync(client, 1));
        Assert.StartsWith("HTTP/1.1 200", reply.ToString());

        for (var i = 0; i < 50; i++)
        {
            await client.SendAsync(System.Text.Encoding.ASCII.GetBytes($"ping {i}\n"), Ct);
            Assert.Equal($"pong {i}\n", await ReadAsciiAsync(client, $"pong {i}\n".Length));
        }

        await client.SendAsync("last"u8.ToArray(), Ct);
        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Equal("bye", await ReadToEndAsync(client));
        await origin;
    }

    private static async Task<string> ReadAsciiAsync(System.Net.Sockets.Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var filled = 0; filled < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), Ct);
            Assert.True(n > 0, "the stream ended early");
            filled += n;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    private static async Task<string> ReadToEndAsync(System.Net.Sockets.Socket socket)
    {
        var all = new List<byte>();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, Ct)) > 0)
            all.AddRange(buffer.AsSpan(0, n).ToArray());
        return System.Text.Encoding.ASCII.GetString(all.ToArray());
    }
}
