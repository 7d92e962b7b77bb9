using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>
/// Calls that reach the user's other processes without passing Landlock: resource limits, priorities,
/// CPU affinity and I/O priority of another pid, the host's SysV IPC objects, a datagram socketpair
/// aimed at a named socket, and the shared terminal's foreground. `wrap` without namespaces has only
/// seccomp to refuse them; with a mask (mount namespace) it also gets an IPC namespace of its own.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapHostIsolationTests : IAsyncLifetime
{
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
    public async Task Changing_another_processs_limits_or_scheduling_is_refused(string operation)
    {
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], operation, OutsiderPid), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync(operation, OutsiderPid));

        // Its own limits and priorities (pid 0) stay the program's to change.
        ProbeAssert.Allowed(await Run.WrappedProbeAsync([], operation, "0"));
    }

    [Fact]
    public async Task A_host_shared_memory_segment_is_unreachable_with_and_without_namespaces()
    {
        using var holder = new SegmentHolder("host-secret");
        var id = await holder.IdAsync();
        Assert.StartsWith("ok host-secret", (await Run.BareProbeAsync("shm-read", id)).Stdout, StringComparison.Ordinal);

        // No namespace: seccomp refuses SysV IPC.
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "shm-read", id), ProbeAssert.EPERM);

        // A denied path inside a grant needs a mount namespace; the launch then has an IPC namespace of its own.
        using var temp = new TempTree();
        temp.File("hidden/file");
        var masked = await Run.WrappedProbeAsync(["--read", temp.Root, "--deny", Path.Join(temp.Root, "hidden")], "shm-read", id);
        ProbeAssert.Denied(masked, 22 /* EINVAL: no such segment here */);
    }

    [Fact]
    public async Task A_datagram_socketpair_cannot_send_to_a_named_socket()
    {
        using var temp = new TempTree();
        var path = Path.Join(temp.Root, "listener.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));

        ProbeAssert.Allowed(await Run.BareProbeAsync("unix-dgram", path));
        Assert.True(listener.Available > 0);
        listener.Receive(new byte[16]);

        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "unix-dgram", path), ProbeAssert.EPERM);
        Assert.Equal(0, listener.Available);

        // Connected stream pairs, which runtimes use for their own plumbing, stay allowed.
        ProbeAssert.Allowed(await Run.WrappedProbeAsync([], "stream-pair"));
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow-unix-sockets"], "unix-dgram", path));
    }

    [Fact]
    public async Task The_program_cannot_take_the_terminals_foreground_from_the_users_shell()
    {
        // script(1) gives the command a terminal of which it is in the foreground, as at a shell prompt.
        var inner = $"{NonoBinary.Path} wrap --read {NonoBinary.ProbeDirectory} -- {NonoBinary.Probe} tcsetpgrp";
        var sandboxed = await Run.ProcessAsync("script", ["-qec", inner, "/dev/null"]);
        Assert.StartsWith("denied 1 ", sandboxed.Stdout.Trim(), StringComparison.Ordinal);

        var bare = await Run.ProcessAsync("script", ["-qec", $"{NonoBinary.Probe} tcsetpgrp", "/dev/null"]);
        Assert.Equal("ok", bare.Stdout.Trim());
    }

    public ValueTask DisposeAsync()
    {
        _outsider?.Kill();
        _outsider?.Dispose();
        return ValueTask.CompletedTask;
    }
}
