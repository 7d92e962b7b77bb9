using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;

namespace Nono.Sandbox.Linux.Tests.Launch;

public sealed class SandboxLauncherTests : IDisposable
{
    private const ushort ProxyPort = 18080;
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("nono-launcher-");

    private static string Probe => Path.Join(AppContext.BaseDirectory, "probe");

    private static SandboxPolicy PolicyWith(NetworkPolicy network) => new()
    {
        Grants = [.. LinuxSystemPolicy.BaseGrants(PrivateTemp.Ensure()), FsGrant.Directory(AppContext.BaseDirectory.TrimEnd('/'), FsAccess.ReadExecute)],
        Network = network,
    };

    private static SandboxLaunchRequest Request(SandboxPolicy policy, string executable, IReadOnlyList<string> arguments, SafeFileHandle? stdout = null, LinuxHost? host = null)
    {
        var (program, prefix) = Stage2Host.Command;
        return new SandboxLaunchRequest
        {
            Plan = LinuxLaunchPlan.Create(policy, host),
            Target = new LaunchTarget(executable, [executable, .. arguments], ["PATH=/usr/bin:/bin"], "/"),
            Stage2Program = program,
            Stage2Arguments = prefix,
            StandardOutput = stdout,
        };
    }

    [Fact]
    public async Task Proxy_mode_child_reaches_the_supervisor_through_the_handed_over_listener()
    {
        var request = Request(PolicyWith(NetworkPolicy.ViaProxy(ProxyPort)), Probe, ["tcp", $"127.0.0.1:{ProxyPort}", "hello from the sandbox"]);
        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);

        var listener = Assert.Single(child.Listeners);
        Assert.Equal(ProxyPort, listener.Key);
        Assert.Equal("hello from the sandbox", await HandedOverListener.ReceiveAllAsync(listener.Value));
        Assert.Equal(0, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Proxy_mode_child_cannot_reach_a_listener_on_the_host()
    {
        using var hostListener = new TcpListener(IPAddress.Loopback, 0);
        hostListener.Start();
        var port = ((IPEndPoint)hostListener.LocalEndpoint).Port;
        var output = Path.Join(_scratch.FullName, "out.txt");
        using var stdout = File.OpenHandle(output, FileMode.Create, FileAccess.Write);

        var request = Request(PolicyWith(NetworkPolicy.ViaProxy(ProxyPort)), Probe, ["tcp", $"127.0.0.1:{port}"], stdout);
        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(1, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("denied", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(hostListener.Pending());
    }

    [Theory]
    [InlineData("tcp", true)]
    [InlineData("tcp", false)]
    [InlineData("udp", true)]
    public async Task Proxy_fallback_without_namespaces_confines_tcp_to_the_proxy_port(string operation, bool toProxyPort)
    {
        // Without user namespaces the supervisor listens on the host itself; Landlock lets the
        // child connect to that port only, and seccomp refuses anything but TCP.
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var proxyPort = (ushort)((IPEndPoint)proxy.LocalEndpoint).Port;
        var targetPort = toProxyPort ? proxyPort : ((IPEndPoint)other.LocalEndpoint).Port;
        var detected = LinuxHost.Detect();
        var host = detected with { UserNamespaces = detected.UserNamespaces.Unavailable("simulated") };
        var output = Path.Join(_scratch.FullName, "out.txt");
        using var stdout = File.OpenHandle(output, FileMode.Create, FileAccess.Write);

        var request = Request(PolicyWith(NetworkPolicy.ViaProxy(proxyPort)), Probe, [operation, $"127.0.0.1:{targetPort}"], stdout, host);
        Assert.True(request.Plan.ProxyFallback);
        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.Empty(child.Listeners);
        var status = await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        var verdict = await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken);

        if (operation == "tcp" && toProxyPort)
        {
            Assert.True(status == 0, verdict);
            Assert.True(proxy.Pending());
        }
        else
        {
            Assert.True(status == 1 && verdict.StartsWith("denied " + (operation == "udp" ? "1 " : "13 "), StringComparison.Ordinal), verdict);
            Assert.False(other.Pending());
        }
    }

    [Fact]
    public async Task Child_gets_the_supervisors_pty_as_controlling_terminal()
    {
        using var pty = PseudoTerminal.Open();
        using var slave = pty.OpenReplica();
        var output = Path.Join(_scratch.FullName, "out.txt");
        using var stdout = File.OpenHandle(output, FileMode.Create, FileAccess.Write);
        var (program, prefix) = Stage2Host.Command;
        var policy = new SandboxPolicy
        {
            Grants = LinuxSystemPolicy.BaseGrants(PrivateTemp.Ensure(), terminals: [pty.SlavePath]),
            Network = NetworkPolicy.ViaProxy(ProxyPort),
        };
        var request = new SandboxLaunchRequest
        {
            Plan = LinuxLaunchPlan.Create(policy),
            Target = new LaunchTarget("/bin/sh", ["/bin/sh", "-c", ": </dev/tty && tty"], ["PATH=/usr/bin:/bin"], "/"),
            Stage2Program = program,
            Stage2Arguments = prefix,
            StandardInput = slave,
            StandardOutput = stdout,
            ControllingTerminal = true,
        };

        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(0, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
        Assert.Equal(pty.SlavePath, (await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken)).Trim());
    }

    [Fact]
    public async Task Exit_status_propagates_without_namespaces()
    {
        var request = Request(PolicyWith(NetworkPolicy.Blocked), "/bin/sh", ["-c", "exit 3"]);
        Assert.False(request.Plan.UseNamespaces);
        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.Empty(child.Listeners);
        Assert.Equal(3, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Disposing_kills_a_running_child()
    {
        var request = Request(PolicyWith(NetworkPolicy.ViaProxy(ProxyPort)), "/bin/sleep", ["60"]);
        var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.False(child.HasExited);
        await child.DisposeAsync();
        Assert.Equal(128 + 9, await child.Exited);
    }

    [Fact]
    public async Task Signals_reach_the_child()
    {
        var request = Request(PolicyWith(NetworkPolicy.Blocked), "/bin/sleep", ["60"]);
        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.True(child.Signal(15));
        Assert.Equal(128 + 15, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Missing_target_exits_127()
    {
        var request = Request(PolicyWith(NetworkPolicy.ViaProxy(ProxyPort)), "/nonexistent/program", []);
        await using var child = await SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(127, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
