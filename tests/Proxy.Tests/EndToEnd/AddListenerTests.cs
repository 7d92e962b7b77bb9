using System.Net;
using System.Net.Sockets;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>ProxyHandle.AddListener: a proxy started without a listener, given one later (as `nono run` does
/// with the socket a child binds inside its network namespace).</summary>
public sealed class AddListenerTests
{
    [Fact]
    public async Task A_proxy_started_without_a_listener_advertises_its_configured_port_and_serves_one_added_later()
    {
        await using var origin = new OriginServer();
        var socket = Listening();
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { BindOwnListener = false, BindPort = port }));

        Assert.Equal(port, proxy.Port);
        Assert.Contains(proxy.EnvVars(), v => v.Key == "HTTP_PROXY" && v.Value.EndsWith($"@127.0.0.1:{port}", StringComparison.Ordinal));

        proxy.AddListener(socket);
        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", $"{origin.Url}/added-later"], proxy.EnvVars());

        Assert.Contains("origin saw: GET /added-later", result.Stdout);
    }

    [Fact]
    public async Task No_listener_and_no_port_is_refused()
    {
        await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(Proxies.Loopback(c => c with { BindOwnListener = false, BindPort = 0 })));
    }

    [Fact]
    public async Task A_listener_added_after_shutdown_is_closed_and_refused()
    {
        var socket = Listening();
        var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { BindOwnListener = false, BindPort = 3128 }));
        await proxy.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => proxy.AddListener(socket));
        Assert.Throws<ObjectDisposedException>(() => socket.Listen());
    }

    [Fact]
    public async Task A_listener_added_is_closed_when_the_proxy_shuts_down()
    {
        var socket = Listening();
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { BindOwnListener = false, BindPort = port }));
        proxy.AddListener(socket);

        await proxy.DisposeAsync();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken).AsTask());
    }

    private static Socket Listening()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }
}
