using System.Net;
using System.Net.Sockets;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Tests.Unit;

/// <summary>Idle upstream connections are closed by the pool's sweep, not kept until their host is used again.</summary>
public sealed class Http1PoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connection_idle_past_the_limit_is_closed_without_another_request_to_its_host()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, Ct);
        using var server = await listener.AcceptSocketAsync(Ct);
        using var pool = new Http1Pool(TimeSpan.FromMilliseconds(200));

        pool.Return("127.0.0.1:1", new Http1Connection(new UpstreamLink(client, default, false)));
        Assert.Equal(1, pool.IdleCount);

        // The upstream side sees the close: a read returns 0 once the sweep has disposed the connection.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var n = await server.ReceiveAsync(new byte[1], SocketFlags.None, wait.Token);

        Assert.Equal(0, n);
        Assert.Equal(0, pool.IdleCount);
    }
}
