using System.Net;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// What a SOCKS5 client must do before it holds a connection slot for long: send its first byte and
/// finish the handshake within the header timeout, and name its target by host name.
/// </summary>
public sealed class SocksHandshakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProxyConfig ShortHeaderTimeout(int maxConnections = 0) =>
        Proxies.Loopback(c => c with { HeaderTimeout = TimeSpan.FromSeconds(1), MaxConnections = maxConnections });

    /// <summary>True when the proxy closed the connection within <paramref name="wait"/> (a generous bound, not a measurement).</summary>
    private static async Task<bool> ClosedByProxyAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[512];
        using var cts = new CancellationTokenSource(wait);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        return socket;
    }

    [Fact]
    public async Task Connection_that_sends_nothing_is_closed_after_the_header_timeout()
    {
        await using var proxy = await Proxies.StartAsync(ShortHeaderTimeout());
        using var silent = await ConnectAsync(proxy.Port);

        Assert.True(await ClosedByProxyAsync(silent, TimeSpan.FromSeconds(20)), "a connection that never sent a byte was kept open");
    }

    [Theory]
    [InlineData(new byte[] { 5 })]
    [InlineData(new byte[] { 5, 1, 2 })]
    [InlineData(new byte[] { 5, 1, 2, 1, 4, (byte)'n' })]
    public async Task Partial_socks5_handshake_is_closed_after_the_header_timeout_and_audited(byte[] partial)
    {
        await using var proxy = await Proxies.StartAsync(ShortHeaderTimeout());
        using var stalled = await ConnectAsync(proxy.Port);

        await stalled.SendAsync(partial, Ct);

        Assert.True(await ClosedByProxyAsync(stalled, TimeSpan.FromSeconds(20)), "a stalled SOCKS5 handshake was kept open");
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Socks5, Decision: AuditDecision.Deny, Reason: "SOCKS5 handshake not completed in time" });
    }

    [Fact]
    public async Task Stalled_socks5_client_frees_the_only_connection_slot_for_the_next_client()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(ShortHeaderTimeout(maxConnections: 1));
        using var stalled = await ConnectAsync(proxy.Port);
        await stalled.SendAsync(new byte[] { 5 }, Ct);

        Assert.True(await ClosedByProxyAsync(stalled, TimeSpan.FromSeconds(20)), "a stalled SOCKS5 handshake was kept open");

        // The slot is released just after the socket closes; allow the proxy that moment.
        CliResult result;
        var attempts = 0;
        do
        {
            result = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"{origin.Url}/after-stall");
        }
        while (result.ExitCode != 0 && ++attempts < 10 && await Task.Delay(200, Ct).ContinueWith(_ => true, Ct));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("origin saw: GET /after-stall", result.Stdout);
    }

    [Fact]
    public async Task Curl_socks5_with_an_ip_address_is_refused_as_address_type_not_supported()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        // --socks5 resolves locally and sends an IPv4 address; --socks5-hostname sends the name (curl
        // sends an IP literal in a URL as an address either way, so the named request uses the test name).
        var byAddress = await Cli.Curl("--socks5", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"http://127.0.0.1:{origin.Port}/by-address");
        var byName = await Cli.Curl("--socks5-hostname", $"127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"{origin.Url}/by-name");

        Assert.NotEqual(0, byAddress.ExitCode);
        Assert.Contains("(8)", byAddress.Stderr); // curl reports the SOCKS5 reply code
        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Equal(["/by-name"], origin.Requests.Select(r => r.Target));
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Socks5, Decision: AuditDecision.Deny, Status: 8 }
            && e.Reason!.Contains("only host names", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[] { 1, 127, 0, 0, 1 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 })]
    public async Task Socks5_request_with_an_address_type_gets_reply_8(byte[] address)
    {
        await using var proxy = await Proxies.StartAsync();
        using var socket = await ConnectAsync(proxy.Port);
        var token = Encoding.ASCII.GetBytes(proxy.Token);
        byte[] hello = [5, 1, 2, 1, 4, (byte)'n', (byte)'o', (byte)'n', (byte)'o', (byte)token.Length, .. token, 5, 1, 0, .. address, 0, 80];

        await socket.SendAsync(hello, Ct);
        var reply = Encoding.Latin1.GetBytes(await Proxies.ReadAllAsync(socket, TimeSpan.FromSeconds(10)));

        Assert.Equal(new byte[] { 5, 2, 1, 0, 5, 8 }, reply[..6]);
    }
}
