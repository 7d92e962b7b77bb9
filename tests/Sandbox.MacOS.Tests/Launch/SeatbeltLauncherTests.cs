using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Nono.Sandbox.MacOS.Launch;

namespace Nono.Sandbox.MacOS.Tests.Launch;

/// <summary>
/// The launcher end to end on a Mac: posix_spawn of this test host as stage 2, the spec over the
/// pipe, Seatbelt applied with sandbox_init, execve of a real program. Skipped elsewhere.
/// </summary>
public sealed class SeatbeltLauncherTests : IDisposable
{
    private readonly string _home;

    public SeatbeltLauncherTests()
    {
        _home = new FileSystemPathResolver().Resolve(Directory.CreateTempSubdirectory("nono-launch-").FullName);
        Directory.CreateDirectory(Path.Join(_home, ".ssh"));
        File.WriteAllText(Path.Join(_home, ".ssh", "id_ed25519"), "secret key");
        Directory.CreateDirectory(Path.Join(_home, "project"));
        File.WriteAllText(Path.Join(_home, "project", "notes.txt"), "notes");
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Child_exits_with_the_targets_status()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");

        Assert.Equal(3, await RunAsync(new SandboxPolicy(), "/bin/sh", "-c", "exit 3"));
        Assert.Equal(0, await RunAsync(new SandboxPolicy(), "/usr/bin/true"));
    }

    [Fact]
    public async Task Target_that_cannot_be_executed_exits_127()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");

        Assert.Equal(LaunchExitStatus.CannotExecute, await RunAsync(new SandboxPolicy(), Path.Join(_home, "project", "missing")));
        Assert.Equal(LaunchExitStatus.CannotExecute, await RunAsync(new SandboxPolicy(), Path.Join(_home, "project", "notes.txt")));
    }

    [Fact]
    public async Task Setup_failure_exits_126_before_anything_runs()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var marker = Path.Join(_home, "project", "ran");
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(Path.Join(_home, "project"), FsAccess.ReadWrite)] };

        var status = await RunAsync(policy, "/usr/bin/touch", [marker], workingDirectory: Path.Join(_home, "no-such-directory"));

        Assert.Equal(LaunchExitStatus.SetupFailed, status);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Child_reads_granted_files_but_not_ssh_keys()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(_home, FsAccess.Read)] };

        Assert.Equal(0, await RunAsync(policy, "/bin/cat", Path.Join(_home, "project", "notes.txt")));
        Assert.NotEqual(0, await RunAsync(policy, "/bin/cat", Path.Join(_home, ".ssh", "id_ed25519")));
    }

    [Fact]
    public async Task Proxy_mode_child_reaches_the_proxy_port_and_no_other_loopback_port()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        using var other = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        other.Start();
        var proxyPort = (ushort)((IPEndPoint)proxy.LocalEndpoint).Port;
        var otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
        var policy = new SandboxPolicy { Network = NetworkPolicy.ViaProxy(proxyPort) };

        Assert.Equal(0, await RunAsync(policy, "/bin/bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{proxyPort}"));
        Assert.NotEqual(0, await RunAsync(policy, "/bin/bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{otherPort}"));
    }

    [Fact]
    public async Task Child_gets_exactly_the_spec_environment_and_its_stdout_goes_where_asked()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var output = Path.Join(_home, "project", "env.txt");
        string[] environment = ["PATH=/usr/bin:/bin", "MARK=set by the spec"];
        int status;
        using (var handle = File.OpenHandle(output, FileMode.Create, FileAccess.Write))
        {
            status = await RunAsync(new SandboxPolicy(), "/usr/bin/env", [], environment: environment, standardOutput: handle);
        }

        Assert.Equal(0, status);
        Assert.Equal(environment, File.ReadAllLines(output));
    }

    [Fact]
    public async Task Signal_reaches_the_child_and_is_reported_as_128_plus_n()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        await using var child = await StartAsync(new SandboxPolicy(), "/bin/sleep", ["30"]);

        Assert.True(child.Signal(15));

        Assert.Equal(128 + 15, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
    }

    private Task<int> RunAsync(SandboxPolicy policy, string program, params string[] arguments) =>
        RunAsync(policy, program, arguments, workingDirectory: null);

    private async Task<int> RunAsync(
        SandboxPolicy policy, string program, string[] arguments, string? workingDirectory = null, string[]? environment = null, SafeFileHandle? standardOutput = null)
    {
        try
        {
            await using var child = await StartAsync(policy, program, arguments, workingDirectory, environment, standardOutput);
            return await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        catch (SandboxLaunchException error) when (error.ExitCode is { } code)
        {
            return code;
        }
    }

    private Task<SandboxedProcess> StartAsync(
        SandboxPolicy policy, string program, string[] arguments, string? workingDirectory = null, string[]? environment = null, SafeFileHandle? standardOutput = null)
    {
        var (stage2, stage2Arguments) = SeatbeltStage2Host.Command;
        return SandboxLauncher.StartAsync(
            new SandboxLaunchRequest
            {
                Policy = policy,
                Context = new SeatbeltContext(_home),
                Target = new LaunchTarget(program, [program, .. arguments], environment ?? ["PATH=/usr/bin:/bin"], workingDirectory ?? "/"),
                Stage2Program = stage2,
                Stage2Arguments = stage2Arguments,
                StandardOutput = standardOutput,
            },
            TestContext.Current.CancellationToken);
    }
}
