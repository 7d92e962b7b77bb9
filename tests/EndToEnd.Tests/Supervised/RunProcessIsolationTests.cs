using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>
/// `nono run` gives the program a PID namespace and an IPC namespace of its own: the user's other
/// processes (nono included) do not exist for it, the host's SysV IPC objects neither, and every
/// process in the namespace ends with the program or with nono, whatever the program does to itself.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunProcessIsolationTests : IAsyncLifetime
{
    private const int Esrch = 3;
    private Process? _outsider;

    private string OutsiderPid => _outsider!.Id.ToString(CultureInfo.InvariantCulture);

    public ValueTask InitializeAsync()
    {
        _outsider = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { UseShellExecute = false });
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("prlimit")]
    [InlineData("setpriority")]
    [InlineData("affinity")]
    [InlineData("ioprio")]
    public async Task Processes_outside_the_session_do_not_exist_for_the_program(string operation)
    {
        ProbeAssert.Allowed(await Run.BareProbeAsync(operation, OutsiderPid));
        ProbeAssert.Denied(await RunProbeAsync(operation, OutsiderPid), Esrch);
        var listing = await Run.NonoAsync("run", "--", "/bin/sh", "-c", $"test -e /proc/{OutsiderPid} && echo visible || echo hidden; ls /proc | grep -c '^[0-9]'");
        Assert.True(listing.ExitCode == 0, listing.ToString());
        Assert.StartsWith("hidden", listing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_cannot_reach_nono_itself()
    {
        using var temp = new TempTree();
        var pidFile = Path.Join(temp.Root, "nono.pid");
        var script = $"while [ ! -s {pidFile} ]; do sleep 0.05; done; {NonoBinary.Probe} prlimit $(cat {pidFile})";
        using var session = new NonoSession("run", "--read", NonoBinary.ProbeDirectory, "--allow", temp.Root, "--", "/bin/sh", "-c", script);
        await File.WriteAllTextAsync(pidFile, session.Pid.ToString(CultureInfo.InvariantCulture), TestContext.Current.CancellationToken);
        Assert.Equal($"denied {Esrch} No such process", await session.ReadLineAsync());
        var (exitCode, stderr) = await session.WaitAsync();
        Assert.True(exitCode == 1, stderr);
    }

    [Fact]
    public async Task A_host_shared_memory_segment_is_unreachable()
    {
        using var holder = new SegmentHolder("host-secret");
        var id = await holder.IdAsync();
        Assert.StartsWith("ok host-secret", (await Run.BareProbeAsync("shm-read", id)).Stdout, StringComparison.Ordinal);
        ProbeAssert.Denied(await RunProbeAsync("shm-read", id), 22 /* EINVAL: no such segment in its namespace */);
    }

    [Fact]
    public async Task A_datagram_socketpair_cannot_send_to_a_named_socket()
    {
        using var temp = new TempTree();
        var path = Path.Join(temp.Root, "listener.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));

        ProbeAssert.Denied(await RunProbeAsync("unix-dgram", path), ProbeAssert.EPERM);
        Assert.Equal(0, listener.Available);
    }

    [Fact]
    public async Task A_chain_that_keeps_recreating_itself_ends_with_the_session()
    {
        // Processes that keep re-creating themselves: each ignores SIGTERM, forks and lets its parent
        // exit at once, so whoever ends the children of nono finds a new pid every time. Their output
        // goes nowhere, so that only nono's own exit ends the run.
        var marker = HostProcesses.NewMarker();
        const string Chain = """
            import os, signal, sys, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            null = os.open("/dev/null", os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            for walker in range(4):
                if os.fork() == 0:
                    while True:
                        if os.fork() != 0:
                            os._exit(0)
            time.sleep(0.5)
            """;
        var started = Stopwatch.StartNew();
        var result = await Run.NonoAsync("run", "--", "/usr/bin/python3", "-c", Chain, marker);
        started.Stop();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the session took {started.Elapsed} to end");
        Assert.Empty(await HostProcesses.GoneAsync(marker, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Nothing_survives_a_sigkilled_nono_even_a_program_that_cleared_its_parent_death_signal()
    {
        var marker = HostProcesses.NewMarker();
        const string Program = """
            import ctypes, os, sys, time
            ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)   # PR_SET_PDEATHSIG: none
            print("ready", flush=True)
            null = os.open("/dev/null", os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            if os.fork() == 0:
                os.setsid()
                time.sleep(300)
                os._exit(0)
            time.sleep(300)
            """;
        using var session = new NonoSession("run", "--", "/usr/bin/python3", "-c", Program, marker);
        Assert.Equal("ready", await session.ReadLineAsync());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (HostProcesses.WithArgument(marker).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, HostProcesses.WithArgument(marker).Count);

        await session.SignalAsync("KILL");
        await session.WaitAsync();

        Assert.Empty(await HostProcesses.GoneAsync(marker, TimeSpan.FromSeconds(5)));
    }

    public ValueTask DisposeAsync()
    {
        _outsider?.Kill();
        _outsider?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Task<RunResult> RunProbeAsync(params string[] arguments) =>
        Run.NonoAsync(["run", "--read", NonoBinary.ProbeDirectory, "--", NonoBinary.Probe, .. arguments]);
}
