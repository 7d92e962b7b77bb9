using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Native;
using Nono.Sandbox.Linux.Policy;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>
/// A stage 2 started ahead of its spec runs the session's request when the request's spawn is the one
/// it was started with, and otherwise goes away without a trace.
/// </summary>
public sealed class Stage2StandbyTests
{
    private const ushort ProxyPort = 18081;

    private static string Probe => Path.Join(AppContext.BaseDirectory, "probe");

    private static Stage2Standby StartStandby(LinuxHost host, bool networkNamespace)
    {
        var (program, prefix) = Stage2Host.Command;
        return Stage2Standby.Start(host, networkNamespace ? NetworkMode.Proxy : NetworkMode.Host, program, prefix)
            ?? throw new InvalidOperationException($"this machine starts no PID namespace for sessions: {host.UserNamespaces}");
    }

    private static SandboxLaunchRequest SessionRequest(LinuxHost host, string executable, params string[] arguments)
    {
        var (program, prefix) = Stage2Host.Command;
        var policy = new SandboxPolicy
        {
            Grants = [.. LinuxSystemPolicy.BaseGrants(PrivateTemp.Ensure()), FsGrant.Directory(AppContext.BaseDirectory.TrimEnd('/'), FsAccess.ReadExecute)],
            Network = NetworkPolicy.ViaProxy(ProxyPort),
        };
        return new SandboxLaunchRequest
        {
            Plan = LinuxLaunchPlan.Create(policy, host, supervised: true),
            Target = new LaunchTarget(executable, [executable, .. arguments], ["PATH=/usr/bin:/bin"], "/"),
            Stage2Program = program,
            Stage2Arguments = prefix,
            ForegroundJob = true,
        };
    }

    [Fact]
    public async Task A_standby_of_the_predicted_shape_runs_the_request_and_hands_over_its_listener()
    {
        var host = LinuxHost.Detect();
        using var standby = StartStandby(host, networkNamespace: true);
        var request = SessionRequest(host, Probe, "tcp", $"127.0.0.1:{ProxyPort}", "from the standby");
        Assert.True(await standby.Spawned);

        await using var child = await SandboxLauncher.StartAsync(request, standby, TestContext.Current.CancellationToken);

        Assert.Equal(standby.Pid, child.Pid);
        var listener = Assert.Single(child.Listeners);
        Assert.Equal("from the standby", await HandedOverListener.ReceiveAllAsync(listener.Value));
        Assert.Equal(0, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_standby_is_not_used_for_a_request_of_another_shape_and_goes_away()
    {
        var host = LinuxHost.Detect();
        var request = SessionRequest(host, "/bin/sh", "-c", "exit 5");
        Assert.True(request.Plan.NetworkNamespace);

        await AssertLaunchedWithoutTheStandbyAsync(StartStandby(host, networkNamespace: false), request, 5);
    }

    [Fact]
    public async Task A_request_with_its_own_stdio_gets_a_child_of_its_own()
    {
        var host = LinuxHost.Detect();
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        var request = SessionRequest(host, "/bin/true") with { StandardOutput = devNull };

        await AssertLaunchedWithoutTheStandbyAsync(StartStandby(host, networkNamespace: true), request, 0);
    }

    [Fact]
    public async Task A_disposed_standby_leaves_no_process_behind()
    {
        var standby = StartStandby(LinuxHost.Detect(), networkNamespace: true);
        Assert.True(await standby.Spawned);
        var pid = standby.Pid;
        var stage2 = Stage2Pids(pid);

        standby.Dispose();

        // Ended by itself (stage 2's quiet 126 on the closed pipe), not killed: a killed unshare would
        // leave stage 2 to whoever reaps orphans, which in a session is nono, counting it as the command's.
        Assert.Equal(126, await standby.Abandoned.WaitAsync(TestContext.Current.CancellationToken));
        await AssertGoneAsync(pid);
        foreach (var inner in stage2)
        {
            await AssertGoneAsync(inner);
        }
    }

    [Fact]
    public async Task A_spec_larger_than_a_pipe_buffer_is_read_whole_from_a_pipe()
    {
        var spec = new LinuxLaunchSpec
        {
            Policy = new SandboxPolicy
            {
                Grants = [.. Enumerable.Range(0, 4000).Select(i => FsGrant.Directory($"/srv/project-{i:D5}/a/rather/long/path", FsAccess.ReadWrite))],
                Network = NetworkPolicy.Blocked,
            },
            Target = new LaunchTarget("/bin/true", ["true"], ["PATH=/bin"], "/"),
            SocketRule = SocketRule.UnixOnly,
            Guards = HostGuards.None,
        };
        Assert.True(spec.Encode().Length > 64 * 1024);
        var (reader, writer) = SandboxLauncher.Pipe();
        var readFd = TakeOver(reader);
        var writing = Task.Run(
            () =>
            {
                using (writer)
                {
                    return SpecChannel.WriteToPipe(writer.Fd, spec);
                }
            },
            TestContext.Current.CancellationToken);

        var back = SpecChannel.Read(readFd);

        Assert.Equal(0, await writing);
        Assert.NotNull(back);
        Assert.Equal(spec.Policy.Grants, back.Policy.Grants);
    }

    [Theory]
    [InlineData(0, "decode")]
    [InlineData(1, "larger than 16 MiB")]
    public async Task A_piped_spec_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(int beyond, string expected)
    {
        // Not a spec, so reading the limit's worth ends in the decoder's refusal, not the size's.
        var (reader, writer) = SandboxLauncher.Pipe();
        var readFd = TakeOver(reader);
        var bytes = new byte[LaunchSpecWire.MaxBytes + beyond];
        Array.Fill(bytes, (byte)0xff);
        var writing = Task.Run(
            () =>
            {
                using (writer)
                {
                    using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(writer.Fd, ownsHandle: false), FileAccess.Write);
                    try
                    {
                        stream.Write(bytes);
                    }
                    catch (IOException)
                    {
                        // The reader stopped at the limit.
                    }
                }
            },
            TestContext.Current.CancellationToken);

        var error = Assert.Throws<SandboxSetupException>(() => SpecChannel.Read(readFd));
        await writing;
        Assert.True(
            expected == "decode" ? !error.Message.Contains("larger than", StringComparison.Ordinal) : error.Message.Contains(expected, StringComparison.Ordinal),
            error.Message);
    }

    [Fact]
    public void A_pipe_closed_without_a_spec_reads_as_no_spec()
    {
        var (reader, writer) = SandboxLauncher.Pipe();
        var readFd = TakeOver(reader);
        writer.Dispose();
        Assert.Null(SpecChannel.Read(readFd));
    }

    /// <summary>Launches <paramref name="request"/> through <paramref name="standby"/>, which must not take it:
    /// a child of its own runs to <paramref name="status"/>, and the standby ends by itself.</summary>
    private static async Task AssertLaunchedWithoutTheStandbyAsync(Stage2Standby standby, SandboxLaunchRequest request, int status)
    {
        Assert.True(await standby.Spawned);
        var abandoned = standby.Pid;

        await using var child = await SandboxLauncher.StartAsync(request, standby, TestContext.Current.CancellationToken);

        Assert.NotEqual(abandoned, child.Pid);
        Assert.Equal(status, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
        Assert.Equal(126, await standby.Abandoned.WaitAsync(TestContext.Current.CancellationToken));
        await AssertGoneAsync(abandoned);
    }

    /// <summary>The number of <paramref name="fd"/>, whose closing passes to SpecChannel.Read (it closes what it reads).</summary>
    private static int TakeOver(SafeFd fd)
    {
        var number = fd.Fd;
        fd.SetHandleAsInvalid();
        return number;
    }

    /// <summary>The children of unshare <paramref name="pid"/>: stage 2 in its PID namespace, seen from here.</summary>
    private static int[] Stage2Pids(int pid)
    {
        var children = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(children)
            ? [.. File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)]
            : [];
    }

    private static async Task AssertGoneAsync(int pid)
    {
        for (var waited = 0; waited < 10_000 && Directory.Exists($"/proc/{pid}"); waited += 20)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there");
    }
}
