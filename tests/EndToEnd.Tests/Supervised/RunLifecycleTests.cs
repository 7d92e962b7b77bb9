namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono run` lifecycle: exit statuses, signals, and nothing left behind.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunLifecycleTests
{
    [Fact]
    public async Task Nono_exits_with_the_childs_status_or_128_plus_its_signal()
    {
        Assert.Equal(7, (await Run.NonoAsync("run", "--", "/bin/sh", "-c", "exit 7")).ExitCode);
        Assert.Equal(0, (await Run.NonoAsync("run", "--", "/bin/true")).ExitCode);
        Assert.Equal(128 + 15, (await Run.NonoAsync("run", "--", "/bin/sh", "-c", "kill -TERM $$")).ExitCode);
        Assert.Equal(128 + 9, (await Run.NonoAsync("run", "--", "/bin/sh", "-c", "kill -KILL $$")).ExitCode);
    }

    [Fact]
    public async Task Usage_errors_and_missing_commands_have_their_own_statuses()
    {
        Assert.Equal(127, (await Run.NonoAsync("run", "--", "no-such-command-anywhere")).ExitCode);
        Assert.Equal(2, (await Run.NonoAsync("run", "--read", "/no/such/path", "--", "/bin/true")).ExitCode);
        Assert.Equal(2, (await Run.NonoAsync("run", "--allow-net", "--block-net", "--", "/bin/true")).ExitCode);
        Assert.Equal(2, (await Run.NonoAsync("run", "--proxy-port", "70000", "--", "/bin/true")).ExitCode);
    }

    [Fact]
    public async Task A_session_that_fails_before_its_launch_says_only_why_and_leaves_nothing_running()
    {
        // Stage 2 starts while the profile is still being resolved: a session refused at that point
        // must not leave it behind, nor let it add a word. A private copy of the binary marks every
        // process of this session on the host's process list.
        using var tree = new TempTree();
        var binary = Path.Join(tree.Dir("bin"), "nono");
        File.Copy(NonoBinary.Path, binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var result = await Run.ProcessAsync(binary, ["run", "--profile", "no-such-profile-anywhere", "--", "/bin/true"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nono: no profile named 'no-such-profile-anywhere'", line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
        Assert.Empty(await HostProcesses.GoneAsync(binary, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_session_temp_directory_is_private_and_removed_when_the_child_exits()
    {
        var result = await Run.NonoAsync("run", "--", "/bin/sh", "-c", "echo \"$TMPDIR\"; stat -c %a \"$TMPDIR\"; touch \"$TMPDIR/left-behind\"");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.StartsWith("/tmp/nono-session-", lines[0], StringComparison.Ordinal);
        Assert.Equal("700", lines[1]);
        Assert.False(Directory.Exists(lines[0]));
    }

    [Fact]
    public async Task Background_processes_the_command_leaves_behind_end_with_the_session()
    {
        // A plain background job, a setsid'd one, a double fork (orphaned at once), and a shell that
        // ignores SIGTERM (ended by the SIGKILL that follows the grace period). Each carries a marker
        // on its command line: inside the session's PID namespace the program cannot tell their host pids.
        var marker = HostProcesses.NewMarker();
        var script = $"""
            sh -c 'sleep 300; :' {marker} >/dev/null 2>&1 &
            setsid sh -c 'sleep 301; :' {marker} >/dev/null 2>&1 &
            (sh -c 'sleep 302; :' {marker} >/dev/null 2>&1 &)
            sh -c 'trap "" TERM; sleep 303; :' {marker} >/dev/null 2>&1 &
            while [ "$(ps -eo args | grep -c '[{marker[0]}]{marker[1..]}')" -lt 4 ]; do sleep 0.05; done
            """;
        var result = await Run.NonoAsync("run", "--", "/bin/sh", "-c", script);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(HostProcesses.WithArgument(marker));
        Assert.Contains("background process(es) the command left running", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT", 2)]
    [InlineData("TERM", 15)]
    [InlineData("HUP", 1)]
    [InlineData("QUIT", 3)]
    public async Task A_signal_to_nono_reaches_the_child_and_the_session_is_torn_down(string name, int number)
    {
        using var session = new NonoSession("run", "--", "/bin/sh", "-c", "echo \"$TMPDIR\"; exec sleep 30");
        var temp = await session.ReadLineAsync();
        Assert.True(Directory.Exists(temp));

        await session.SignalAsync(name);
        var (exitCode, _) = await session.WaitAsync();

        Assert.Equal(128 + number, exitCode);
        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public async Task A_child_that_handles_the_signal_decides_the_exit_status()
    {
        using var session = new NonoSession("run", "--", "/bin/sh", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while :; do sleep 0.1; done");
        Assert.Equal("ready", await session.ReadLineAsync());

        await session.SignalAsync("TERM");

        Assert.Equal("got-term", await session.ReadLineAsync());
        Assert.Equal(42, (await session.WaitAsync()).ExitCode);
    }

    [Fact]
    public async Task Killing_nono_with_sigkill_kills_the_child()
    {
        var marker = HostProcesses.NewMarker();
        using var session = new NonoSession("run", "--", "/bin/sh", "-c", "echo ready; sleep 30; :", marker);
        Assert.Equal("ready", await session.ReadLineAsync());
        // The shell's fork for `sleep` carries the marker until it executes; wait for the shell alone.
        var found = HostProcesses.WithArgument(marker);
        for (var tries = 0; found.Count() != 1 && tries < 100; tries++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            found = HostProcesses.WithArgument(marker);
        }

        var childPid = Assert.Single(found).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await session.SignalAsync("KILL");
        await session.WaitAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (IsAlive(childPid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.False(IsAlive(childPid), $"child {childPid} outlived nono");
    }

    [Fact]
    public async Task The_next_session_removes_the_temp_directory_a_sigkilled_nono_left_behind()
    {
        var hostTemp = Directory.CreateTempSubdirectory("nono-e2e-hosttemp-");
        try
        {
            var environment = new Dictionary<string, string> { ["TMPDIR"] = hostTemp.FullName };
            string left;
            using (var session = new NonoSession(environment, "run", "--", "/bin/sh", "-c", "echo \"$TMPDIR\"; mkdir -p \"$TMPDIR/deep/er\"; touch \"$TMPDIR/deep/er/file\"; echo ready; exec sleep 30"))
            {
                left = await session.ReadLineAsync();
                Assert.Equal("ready", await session.ReadLineAsync());
                await session.SignalAsync("KILL");
                await session.WaitAsync();
            }

            Assert.True(Directory.Exists(left), "a SIGKILLed nono cannot clean up after itself");

            // Sessions younger than a minute may still be starting; age this one (the program's TMPDIR is inside the session's directory).
            Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(left)!, DateTime.UtcNow.AddMinutes(-5));
            var next = await Run.ProcessAsync(NonoBinary.Path, ["run", "--", "/bin/true"], environment.ToDictionary(pair => pair.Key, pair => (string?)pair.Value));

            Assert.True(next.ExitCode == 0, next.ToString());
            Assert.Contains("removed 1 temporary directory left by sessions that were killed", next.Stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(left));
            Assert.Empty(hostTemp.EnumerateFileSystemInfos());
        }
        finally
        {
            hostTemp.Delete(recursive: true);
        }
    }

    /// <summary>Alive and not a zombie (a reparented zombie is reaped by whoever adopted it).</summary>
    private static bool IsAlive(string pid)
    {
        try
        {
            var state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("State:", StringComparison.Ordinal));
            return state is not null && !state.Contains('Z', StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
