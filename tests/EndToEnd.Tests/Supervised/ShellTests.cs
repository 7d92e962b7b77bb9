namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono shell` in a real terminal (tmux): raw mode, job control, Ctrl-C, window size, restoration.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ShellTests
{
    [Fact]
    public async Task Shell_runs_commands_takes_ctrl_c_and_restores_the_terminal()
    {
        using var temp = new TempTree();
        var before = Path.Join(temp.Root, "before");
        var after = Path.Join(temp.Root, "after");
        await using var tmux = await Tmux.StartAsync();

        await tmux.TypeAsync($"stty -a > {before}; SHELL=/bin/bash {NonoBinary.Path} shell --allow {temp.Root}");
        await tmux.TypeAsync("echo inside-$TMPDIR");
        await tmux.WaitForAsync("inside-/tmp/nono-session-");
        await tmux.TypeAsync("echo answer-$((6*7)); tty");
        await tmux.WaitForAsync("answer-42");
        var screen = await tmux.WaitForAsync("/dev/pts/");

        // Ctrl-C ends the sandboxed sleep, not nono: the same shell is still there afterwards (had
        // nono died, "exit 3" below would end the outer shell and the tmux session with it).
        await tmux.TypeAsync("sleep 31.7");
        await WaitForProcessAsync("sleep 31.7");
        await tmux.KeyAsync("C-c");
        await tmux.TypeAsync("echo after-ctrl-c-$?");
        await tmux.WaitForAsync("after-ctrl-c-130");

        // Job control: a background job, listed and killed by job number.
        await tmux.TypeAsync("sleep 32.3 & jobs; kill %1; wait; echo jobs-$((1+1))-done");
        await tmux.WaitForAsync("jobs-2-done");
        Assert.Contains("[1]", await tmux.ScreenAsync(), StringComparison.Ordinal);

        var outerPrompts = Tmux.Count(await tmux.ScreenAsync(), "outer$");
        await tmux.TypeAsync("exit 3");
        await tmux.WaitForAsync("outer$", outerPrompts + 1);
        await tmux.TypeAsync($"echo nono-exit-$?; stty -a > {after}");
        await tmux.WaitForAsync("nono-exit-3");
        await WaitForFileAsync(after);

        Assert.Matches(@"/dev/pts/\d+", screen);
        Assert.Equal(await File.ReadAllTextAsync(before, TestContext.Current.CancellationToken), await File.ReadAllTextAsync(after, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_shells_window_size_follows_the_terminal()
    {
        await using var tmux = await Tmux.StartAsync(width: 120, height: 30);

        await tmux.TypeAsync($"{NonoBinary.Path} shell --shell /bin/bash");
        await tmux.TypeAsync("echo inside-$TMPDIR");
        await tmux.WaitForAsync("inside-/tmp/nono-session-");
        await tmux.TypeAsync("echo size-$(stty size | tr ' ' x)");
        await tmux.WaitForAsync("size-30x120");
        await tmux.ResizeAsync(100, 25);

        // The new size travels as SIGWINCH to nono and then to the PTY: ask until it has arrived.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await tmux.ScreenAsync()).Contains("size-25x100", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the shell never saw the new window size:\n" + await tmux.ScreenAsync());
            await tmux.TypeAsync("echo size-$(stty size | tr ' ' x)");
            await Task.Delay(300, TestContext.Current.CancellationToken);
        }

        var outerPrompts = Tmux.Count(await tmux.ScreenAsync(), "outer$");
        await tmux.TypeAsync("exit");
        await tmux.WaitForAsync("outer$", outerPrompts + 1);
        await tmux.TypeAsync("echo back-$((2+2))");
        await tmux.WaitForAsync("back-4");
    }

    private static async Task WaitForProcessAsync(string commandLine)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Run.ProcessAsync("pgrep", ["-f", commandLine])).ExitCode != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{commandLine}' never started");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} was never written");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
