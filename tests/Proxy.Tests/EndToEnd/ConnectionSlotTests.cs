using System.Net;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// Connection slots cannot be hoarded: a connection that sends nothing is closed after the short
/// first-byte deadline, and one client address holds at most its per-peer share of the slots.
/// </summary>
public sealed class ConnectionSlotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Socket> ConnectFromAsync(string source, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        await socket.ConnectAsync(IPAddress.Loopback, port, Ct);
        return socket;
    }

    [Fact]
    public async Task Silent_connection_is_closed_after_the_first_byte_deadline_not_the_header_timeout()
    {
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with
        {
            FirstByteTimeout = TimeSpan.FromSeconds(1),
            HeaderTimeout = TimeSpan.FromMinutes(5),
        }));
        using var socket = await ConnectFromAsync("127.0.0.1", proxy.Port);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var n = await socket.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token);

        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Client_address_over_its_share_gets_503_while_another_address_is_served()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { MaxConnectionsPerPeer = 2, MaxConnections = 10 }));
        using var first = await ConnectFromAsync("127.0.0.1", proxy.Port);
        using var second = await ConnectFromAsync("127.0.0.1", proxy.Port);
        await first.SendAsync(Encoding.ASCII.GetBytes("GET http://127.0.0.1/ HTTP/1.1\r\n"), Ct);
        await second.SendAsync(Encoding.ASCII.GetBytes("GET http://127.0.0.1/ HTTP/1.1\r\n"), Ct);
        await Task.Delay(200, Ct);

        using var third = await ConnectFromAsync("127.0.0.1", proxy.Port);
        var refused = await Proxies.ReadAllAsync(third, TimeSpan.FromSeconds(10));
        using var other = await ConnectFromAsync("127.0.0.2", proxy.Port);
        await other.SendAsync(Encoding.ASCII.GetBytes($"GET {origin.Url}/quiet HTTP/1.1\r\nHost: {OriginServer.Host}:{origin.Port}\r\nProxy-Authorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n"), Ct);
        var served = await Proxies.ReadAllAsync(other, TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 503", refused, StringComparison.Ordinal);
        Assert.Contains("too many connections from this address", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", served, StringComparison.Ordinal);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Status: 503, Decision: AuditDecision.Deny } && e.Reason!.Contains("per client address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Slot_of_a_closed_connection_is_given_back_to_its_address()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { MaxConnectionsPerPeer = 1 }));

        var request = Encoding.ASCII.GetBytes($"GET {origin.Url}/quiet HTTP/1.1\r\nHost: {OriginServer.Host}:{origin.Port}\r\nProxy-Authorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n");
        for (var i = 0; i < 3; i++)
        {
            // The proxy frees the slot right after its side of the close; a 503 in that moment is retried.
            var answer = "";
            for (var attempt = 0; attempt < 50 && !answer.StartsWith("HTTP/1.1 200", StringComparison.Ordinal); attempt++)
            {
                if (attempt > 0)
                    await Task.Delay(100, Ct);
                using var socket = await ConnectFromAsync("127.0.0.1", proxy.Port);
                await socket.SendAsync(request, Ct);
                answer = await Proxies.ReadAllAsync(socket, TimeSpan.FromSeconds(10));
            }

            Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        }

        Assert.Equal(3, origin.Requests.Count);
    }
}
