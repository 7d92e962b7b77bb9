namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono run` typed at an interactive shell (tmux): the keyboard's signals reach the command
/// once, job control stops and resumes it, and the shell gets its terminal back.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunTerminalTests
{
    // Counts SIGINTs; after the first it waits long enough for a duplicate (forwarded by nono) to arrive.
    private const string CountInterrupts = """
        import signal, time
        count = 0
        def interrupted(*_):
            global count
            count += 1
        signal.signal(signal.SIGINT, interrupted)
        print("ready-to-count", flush=True)
        while count == 0:
            time.sleep(0.05)
        time.sleep(1.5)
        print(f"sigints-{count}", flush=True)
        """;

    // Starts `nono run` on a new pty and types Ctrl-C after a delay; prints "ran-to-end" when the
    // command finished anyway. Swept over the launch, when the terminal's foreground group moves from
    // nono to the sandbox before the command exists.
    private const string InterruptDuringLaunch = """
        import os, pty, select, sys, time
        nono, workdir, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(workdir)
            os.execv(nono, [nono, "run", "--", "sh", "-c", "sleep 2; echo ran-to-end"])
        time.sleep(delay)
        os.write(fd, b"\x03")
        out, deadline = b"", time.time() + 6
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                out += data
        _, status = os.waitpid(pid, 0)
        print("ran-to-end" if b"ran-to-end" in out else f"interrupted {os.waitstatus_to_exitcode(status)}")
        """;

    [Fact]
    public async Task Ctrl_c_typed_while_the_session_starts_ends_the_command()
    {
        using var temp = new TempTree();
        var script = Path.Join(temp.Root, "interrupt.py");
        await File.WriteAllTextAsync(script, InterruptDuringLaunch, TestContext.Current.CancellationToken);

        var missed = new List<string>();
        for (var delay = 0.02; delay < 0.30; delay += 0.008)
        {
            var seconds = delay.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
            var result = await Run.ProcessAsync("python3", [script, NonoBinary.Path, Run.DefaultWorkingDirectory, seconds]);
            var verdict = result.Stdout.Trim();
            // 130: the session ended with the command's SIGINT; -2: nono itself was interrupted before
            // it took over the terminal's signals (nothing had started yet).
            if (verdict is not ("interrupted 130" or "interrupted -2"))
            {
                missed.Add($"{seconds} s: {verdict} {result.Stderr.Trim()}");
            }
        }

        Assert.True(missed.Count == 0, string.Join("\n", missed));
    }

    [Fact]
    public async Task Ctrl_c_reaches_the_command_exactly_once()
    {
        using var temp = new TempTree();
        var script = Path.Join(temp.Root, "count.py");
        await File.WriteAllTextAsync(script, CountInterrupts, TestContext.Current.CancellationToken);
        await using var tmux = await Tmux.StartAsync();

        await tmux.TypeAsync($"{NonoBinary.Path} run --read {temp.Root} -- /usr/bin/python3 {script}; echo run-exit-$?");
        await tmux.WaitForAsync("ready-to-count");
        await tmux.KeyAsync("C-c");
        await tmux.WaitForAsync("run-exit-0");

        var screen = await tmux.ScreenAsync();
        Assert.Contains("sigints-1", screen, StringComparison.Ordinal);
        await tmux.TypeAsync("echo back-$((3+4))");
        await tmux.WaitForAsync("back-7");
    }

    [Fact]
    public async Task The_command_leads_the_terminals_foreground_group_and_nono_is_outside_it()
    {
        await using var tmux = await Tmux.StartAsync();

        // Were nono in the foreground group too, every keyboard signal would reach the command twice:
        // from the terminal, and again forwarded by nono (two SIGINTs close together usually merge into
        // one pending signal, which is why the test above cannot see the second one reliably). Seen from
        // the host: inside its PID namespace the command cannot name process groups outside it.
        var marker = HostProcesses.NewMarker();
        await tmux.TypeAsync($"{NonoBinary.Path} run -- /bin/sh -c 'echo job-$((40+2)); sleep 30; :' {marker}");
        await tmux.WaitForAsync("job-42");

        var command = Assert.Single(HostProcesses.WithArgument(marker));
        var (job, foreground) = (Stat(command, 5), Stat(command, 8));
        var nono = command;
        while (!File.ReadAllText($"/proc/{nono}/cmdline").Split('\0').Contains("run"))
        {
            nono = Stat(nono, 4);
        }

        Assert.Equal(job, foreground);
        Assert.NotEqual(Stat(nono, 5), job);
        await tmux.KeyAsync("C-c");
    }

    /// <summary>Field <paramref name="field"/> (1-based, as in proc(5)) of /proc/PID/stat.</summary>
    private static int Stat(int pid, int field)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[field - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    // Also guards the stop handoff: were nono to hand the terminal back to the job before it had
    // itself stopped, the job would read the keys typed at the shell's prompt.
    [Fact]
    public async Task Ctrl_z_stops_the_job_and_fg_resumes_it_in_the_foreground()
    {
        await using var tmux = await Tmux.StartAsync();

        await tmux.TypeAsync($"{NonoBinary.Path} run -- /bin/sh -c 'echo job-$((2+3))-started; read line; echo got-$line'");
        await tmux.WaitForAsync("job-5-started");
        var prompts = Tmux.Count(await tmux.ScreenAsync(), "outer$");
        await tmux.KeyAsync("C-z");
        await tmux.WaitForAsync("Stopped");

        // Typing before the shell's next prompt loses keys: it takes the terminal back and resets it first.
        await tmux.WaitForAsync("outer$", prompts + 1);

        // Stopped, the outer shell has the terminal: it runs a command of its own.
        await tmux.TypeAsync("echo outer-$((5*5))");
        await tmux.WaitForAsync("outer-25");

        // fg: the command is back in the foreground and reads what is typed next.
        await tmux.TypeAsync("fg");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await tmux.TypeAsync("typed-after-fg");
        await tmux.WaitForAsync("got-typed-after-fg");
        await tmux.TypeAsync("echo fg-exit-$?");
        await tmux.WaitForAsync("fg-exit-0");
    }
}
