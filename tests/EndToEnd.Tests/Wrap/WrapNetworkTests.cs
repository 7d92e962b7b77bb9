using System.Net;
using System.Net.Sockets;

namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>`nono wrap` network confinement (blocked by default, --allow-net as the control).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapNetworkTests
{
    [Fact]
    public async Task Tcp_to_a_listener_outside_the_sandbox_is_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var target = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--block-net"], "tcp", target), ProbeAssert.EPERM, ProbeAssert.EACCES);
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "tcp", target), ProbeAssert.EPERM, ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow-net"], "tcp", target));
    }

    [Fact]
    public async Task Udp_is_refused()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = $"127.0.0.1:{((IPEndPoint)receiver.Client.LocalEndPoint!).Port}";

        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "udp", target), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow-net"], "udp", target));
        var datagram = await receiver.ReceiveAsync(TestContext.Current.CancellationToken);
        Assert.Equal("probe"u8.ToArray(), datagram.Buffer);
    }

    [Fact]
    public async Task Dns_lookup_is_refused()
    {
        using var resolver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var server = $"127.0.0.1:{((IPEndPoint)resolver.Client.LocalEndPoint!).Port}";
        var answering = AnswerOneQueryAsync(resolver);

        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "dns", "example.com", server), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow-net"], "dns", "example.com", server));
        await answering;
    }

    [Fact]
    public async Task Abstract_unix_socket_served_outside_is_unreachable()
    {
        var name = $"nono-e2e-{Guid.NewGuid():N}";
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint("\0" + name));
        server.Listen();

        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "abstract", name), ProbeAssert.EPERM);
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--allow-net"], "abstract", name), ProbeAssert.EPERM);

        // Even with unix sockets allowed, Landlock's abstract-socket scope keeps the host's out.
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--allow-unix-sockets"], "abstract", name), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync("abstract", name));
    }

    [Fact]
    public async Task Abstract_unix_socket_served_inside_the_same_sandbox_is_reachable_with_unix_sockets_allowed()
    {
        // The probe listens and a child of it connects: both inside one sandbox, which Landlock's
        // abstract-socket scope allows. Without the flag no unix socket can be created at all.
        var name = $"nono-e2e-{Guid.NewGuid():N}";

        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow-unix-sockets"], "abstract-serve", name));
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "abstract-serve", name), ProbeAssert.EPERM);
    }

    [Fact]
    public async Task Unix_socket_served_outside_by_path_is_unreachable()
    {
        // Landlock has no right for connecting to an existing socket by path (the way to the session
        // D-Bus, ssh-agent or docker.sock), so the sandbox refuses to create unix sockets at all.
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "service.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.Listen();

        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "unix", path), ProbeAssert.EPERM);
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--allow-net"], "unix", path), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow-unix-sockets"], "unix", path));
        ProbeAssert.Allowed(await Run.BareProbeAsync("unix", path));
    }

    [Fact]
    public async Task Netlink_and_packet_sockets_are_refused()
    {
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--allow-net"], "netlink"), ProbeAssert.EPERM);
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--allow-net"], "packet"), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync("netlink"));
    }

    /// <summary>A minimal resolver: echoes the query back as a response with no answers.</summary>
    private static async Task AnswerOneQueryAsync(UdpClient resolver)
    {
        var query = await resolver.ReceiveAsync(TestContext.Current.CancellationToken);
        var response = query.Buffer.ToArray();
        response[2] |= 0x80; // QR: this is a response
        await resolver.SendAsync(response, query.RemoteEndPoint, TestContext.Current.CancellationToken);
    }
}
