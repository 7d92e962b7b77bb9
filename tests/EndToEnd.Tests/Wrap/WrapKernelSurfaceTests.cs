using System.Diagnostics;

namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>Processes, ptrace, terminals and kernel interfaces a sandboxed program must not reach.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapKernelSurfaceTests : IAsyncLifetime
{
    private Process? _outsider;

    private int OutsiderPid => _outsider!.Id;

    public ValueTask InitializeAsync()
    {
        _outsider = Process.Start(new ProcessStartInfo("/bin/sleep", "60") { UseShellExecute = false });
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Signalling_a_process_outside_is_refused()
    {
        var pid = OutsiderPid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "kill", pid, "0"), ProbeAssert.EPERM);
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "kill", pid, "15"), ProbeAssert.EPERM);
        Assert.False(_outsider!.HasExited);
        ProbeAssert.Allowed(await Run.BareProbeAsync("kill", pid, "0"));
    }

    [Fact]
    public async Task Signalling_its_own_child_process_is_allowed()
    {
        ProbeAssert.Allowed(await Run.WrappedProbeAsync([], "kill-child", "15"));
    }

    [Fact]
    public async Task Ptrace_attach_is_refused()
    {
        var pid = OutsiderPid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "ptrace", pid), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync("ptrace", pid));
    }

    [Fact]
    public async Task Environment_of_a_process_outside_is_unreadable()
    {
        var environ = $"/proc/{OutsiderPid}/environ";
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "read", environ), ProbeAssert.EACCES, ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync("read", environ));
    }

    [Fact]
    public async Task Terminal_injection_with_TIOCSTI_is_refused()
    {
        var sandboxed = await Run.WrappedProbeAsync([], "tiocsti");
        ProbeAssert.Denied(sandboxed, ProbeAssert.EPERM);

        // Outside, the same call reaches the tty layer (which rejects a pipe with ENOTTY, not EPERM).
        var bare = await Run.BareProbeAsync("tiocsti");
        Assert.DoesNotContain("denied 1 ", bare.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ordinary_terminal_ioctls_work_on_a_terminal_while_TIOCSTI_stays_refused()
    {
        // script(1) gives the command a pseudo-terminal on stdin, where the same seccomp filter that
        // refuses TIOCSTI must let the window size and terminal modes through.
        var inner = $"{NonoBinary.Path} wrap --read {NonoBinary.ProbeDirectory} -- /bin/sh -c '{NonoBinary.Probe} winsize; {NonoBinary.Probe} tcgetattr; {NonoBinary.Probe} tiocsti'";
        var result = await Run.ProcessAsync("script", ["-qec", inner, "/dev/null"]);

        var lines = result.Stdout.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 3, result.ToString());
        Assert.Equal("ok", lines[0]);
        Assert.Equal("ok", lines[1]);
        Assert.StartsWith("denied 1 ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_commands_own_terminal_is_reachable_not_other_pseudo_terminals()
    {
        // python3 holds a second pseudo-terminal open and runs nono under script(1), which gives the
        // command a terminal of its own; the probe then tries both.
        const string Driver = """
            import os, pty, subprocess, sys
            nono, probe_dir, probe = sys.argv[1:4]
            master, slave = pty.openpty()
            other = os.ttyname(slave)
            inner = f"{nono} wrap --read {probe_dir} -- /bin/sh -c '{probe} write $(tty); {probe} write {other}'"
            result = subprocess.run(["script", "-qec", inner, "/dev/null"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
            print(result.stdout.replace("\r", ""))
            """;
        var result = await Run.ProcessAsync("python3", ["-c", Driver, NonoBinary.Path, NonoBinary.ProbeDirectory, NonoBinary.Probe]);

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, result.ToString());
        Assert.EndsWith("ok", lines[0], StringComparison.Ordinal); // after the "x" the probe wrote to its terminal
        Assert.StartsWith("denied 13 ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_user_namespace_is_refused()
    {
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "userns"), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync("userns"));
    }

    [Fact]
    public async Task Io_uring_is_refused()
    {
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "io_uring"), ProbeAssert.EPERM);
        ProbeAssert.Allowed(await Run.BareProbeAsync("io_uring"));
    }

    [Fact]
    public async Task Mounting_is_refused()
    {
        using var tree = new TempTree();
        var target = tree.Dir("mnt");
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--allow", tree.Root], "mount", target), ProbeAssert.EPERM);
    }

    public ValueTask DisposeAsync()
    {
        if (_outsider is { HasExited: false })
        {
            _outsider.Kill();
        }

        _outsider?.Dispose();
        return ValueTask.CompletedTask;
    }
}
