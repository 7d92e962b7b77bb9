namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>`nono wrap` as a command: exit statuses, signals, --dry-run, usage errors.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapCliTests : IDisposable
{
    private readonly TempTree _tree = new();

    [Fact]
    public async Task Exit_status_of_the_command_is_nonos_exit_status()
    {
        Assert.Equal(42, (await Run.NonoAsync("wrap", "--", "/bin/sh", "-c", "exit 42")).ExitCode);
        Assert.Equal(0, (await Run.NonoAsync("wrap", "--", "/bin/true")).ExitCode);
        Assert.Equal(1, (await Run.NonoAsync("wrap", "--", "/bin/false")).ExitCode);
    }

    [Fact]
    public async Task Command_output_passes_through()
    {
        var result = await Run.NonoAsync("wrap", "--", "/bin/echo", "hello", "sandbox");
        Assert.Equal("hello sandbox", result.Stdout);
    }

    [Fact]
    public async Task Killed_by_signal_gives_128_plus_the_signal()
    {
        Assert.Equal(128 + 15, (await Run.NonoAsync("wrap", "--", "/bin/sh", "-c", "kill -TERM $$")).ExitCode);
        Assert.Equal(128 + 9, (await Run.NonoAsync("wrap", "--", "/bin/sh", "-c", "kill -KILL $$")).ExitCode);
    }

    [Fact]
    public async Task Exit_status_and_signals_pass_through_the_namespace_path()
    {
        var home = _tree.Dir("home");
        _tree.File("home/.ssh/id_rsa");
        var environment = new Dictionary<string, string?> { ["HOME"] = home };

        var exited = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", home, "--", "/bin/sh", "-c", "exit 7"], environment);
        Assert.Equal(7, exited.ExitCode);
        var killed = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", home, "--", "/bin/sh", "-c", "kill -TERM $$"], environment);
        Assert.Equal(128 + 15, killed.ExitCode);
    }

    [Fact]
    public async Task The_pid_stays_the_same_from_nono_to_the_command()
    {
        var home = _tree.Dir("home");
        _tree.File("home/.aws/credentials");
        var environment = new Dictionary<string, string?> { ["HOME"] = home };

        // The shell prints its own pid and its parent's; its parent must be the test, not a nono left behind.
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", home, "--", "/bin/sh", "-c", "echo $PPID"], environment);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Stdout);
        var direct = await Run.NonoAsync("wrap", "--", "/bin/sh", "-c", "echo $PPID");
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), direct.Stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Command_runs_without_capabilities_with_no_new_privs_seccomp_and_default_signals(bool throughNamespaces)
    {
        var home = _tree.Dir("home");
        if (throughNamespaces)
        {
            _tree.File("home/.ssh/id_rsa");
        }

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["wrap", "--read", home, "--", "/bin/grep", "-E", "^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|SigIgn|SigBlk):", "/proc/self/status"],
            new Dictionary<string, string?> { ["HOME"] = home });

        // Baseline: the same command started directly. Like any exec wrapper (nohup, env), nono keeps
        // a disposition its caller set to SIG_IGN, but it must not add one of its own (the runtime
        // ignores SIGPIPE) nor leave a signal blocked.
        var direct = await Run.ProcessAsync("/bin/grep", ["^SigIgn:", "/proc/self/status"]);
        var callerIgnores = Convert.ToUInt64(direct.Stdout.Split(':', 2)[1].Trim(), 16);

        Assert.Equal(0, result.ExitCode);
        var status = result.Stdout.Split('\n').Select(line => line.Split(':', 2)).ToDictionary(parts => parts[0], parts => parts[1].Trim());
        Assert.All(new[] { "CapPrm", "CapEff", "CapBnd", "CapAmb", "SigBlk" }, key => Assert.Equal(0UL, Convert.ToUInt64(status[key], 16)));
        Assert.Equal(callerIgnores & ~(1UL << (13 - 1)), Convert.ToUInt64(status["SigIgn"], 16));
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.Equal("2", status["Seccomp"]);
    }

    [Fact]
    public async Task No_descriptor_beyond_stdio_leaks_into_the_command()
    {
        var home = _tree.Dir("home");
        _tree.File("home/.ssh/id_rsa");
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", home, "--", "/bin/ls", "/proc/self/fd"], new Dictionary<string, string?> { ["HOME"] = home });

        // ls itself holds one descriptor open on the directory it lists.
        Assert.Equal(["0", "1", "2", "3"], result.Stdout.Split('\n'));
    }

    [Fact]
    public async Task Dry_run_prints_the_policy_and_runs_nothing()
    {
        var marker = Path.Join(_tree.Root, "ran");
        var result = await Run.NonoAsync("wrap", "--dry-run", "--allow", _tree.Root, "--", "/bin/sh", "-c", $"touch {marker}");

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.Contains("network: blocked", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("landlock: ABI", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"rwx dir  {_tree.Root}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("namespaces: none", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("seccomp:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_shows_masks_and_the_namespace_plan()
    {
        var home = _tree.Dir("home");
        _tree.File("home/.ssh/id_rsa");
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--dry-run", "--read", home, "--", "/bin/true"], new Dictionary<string, string?> { ["HOME"] = home });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{home}/.ssh (empty read-only tmpfs)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--mount", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contradictory_network_flags_are_a_usage_error()
    {
        var result = await Run.NonoAsync("wrap", "--block-net", "--allow-net", "--", "/bin/true");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--allow-net and --block-net contradict each other", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nonexistent_grant_path_is_a_usage_error_and_nothing_runs()
    {
        var marker = Path.Join(_tree.Root, "ran");
        var result = await Run.NonoAsync("wrap", "--read", "/nonexistent/nono-e2e", "--allow", _tree.Root, "--", "/bin/sh", "-c", $"touch {marker}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/nono-e2e", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Unknown_flag_and_missing_command_are_usage_errors()
    {
        Assert.Equal(2, (await Run.NonoAsync("wrap", "--no-such-flag", "--", "/bin/true")).ExitCode);
        Assert.Equal(2, (await Run.NonoAsync("wrap")).ExitCode);
        Assert.Equal(2, (await Run.NonoAsync("wrap", "--read-file", "/usr", "--", "/bin/true")).ExitCode);
    }

    [Fact]
    public async Task Granting_a_sensitive_path_is_refused()
    {
        var home = _tree.Dir("home");
        var ssh = _tree.Dir("home/.ssh");
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", ssh, "--", "/bin/true"], new Dictionary<string, string?> { ["HOME"] = home });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nono never grants", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_command_exits_127()
    {
        var result = await Run.NonoAsync("wrap", "--", "nono-e2e-no-such-command");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("command not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_outside_every_grant_cannot_be_executed()
    {
        var copy = Path.Join(_tree.Dir("bin"), "true");
        File.Copy("/bin/true", copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var result = await Run.NonoAsync("wrap", "--", copy);
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("cannot execute", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trampoline_failure_exits_126_and_names_the_failed_step()
    {
        var result = await Run.NonoAsync("__sandbox-exec", "99");
        Assert.Equal(126, result.ExitCode);
        Assert.Contains("sandbox setup failed: read the launch spec from descriptor 99", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sandbox_exec_is_hidden_from_help()
    {
        var help = await Run.NonoAsync("--help");
        Assert.Contains("wrap", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("__sandbox-exec", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_user_namespaces_a_deny_inside_a_grant_is_refused_not_dropped()
    {
        var home = _tree.Dir("home");
        var key = _tree.File("home/.ssh/id_rsa");
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["NONO_TEST_DISABLE_USERNS"] = "1" };

        var refused = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", home, "--read", NonoBinary.ProbeDirectory, "--", NonoBinary.Probe, "read", key], environment);
        Assert.Equal(126, refused.ExitCode);
        Assert.Contains("mount namespace", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(refused.Stdout);

        // Without a grant covering the sensitive path, nothing needs masking and the command runs.
        var notes = _tree.File("project/notes.txt");
        var runs = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--read", Path.GetDirectoryName(notes)!, "--read", NonoBinary.ProbeDirectory, "--", NonoBinary.Probe, "read", notes], environment);
        ProbeAssert.Allowed(runs);
    }

    [Fact]
    public async Task Inside_a_sandbox_that_forbids_user_namespaces_nono_refuses_with_126_instead_of_failing_in_unshare()
    {
        // The outer nono's seccomp filter refuses new user namespaces, as a container runtime would;
        // nothing in /proc/sys says so, so only a real attempt can tell.
        var home = _tree.Dir("home");
        _tree.File("home/.ssh/id_rsa");
        var nonoDirectory = Path.GetDirectoryName(NonoBinary.Path)!;

        var nested = await Run.ProcessAsync(
            NonoBinary.Path,
            ["wrap", "--read", "/etc", "--read", nonoDirectory, "--read", _tree.Root, "--", NonoBinary.Path, "wrap", "--read", home, "--", "/bin/true"],
            new Dictionary<string, string?> { ["HOME"] = home });

        Assert.True(nested.ExitCode == 126, nested.ToString());
        Assert.Contains("user namespaces are unavailable: creating one failed", nested.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unshare failed", nested.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrap", "--allow-net")]
    [InlineData("wrap", "--write")]
    [InlineData("run", "--allow-domain")]
    public async Task A_nono_option_after_the_command_is_refused_rather_than_widening_the_sandbox(string verb, string option)
    {
        var marker = Path.Join(_tree.Root, "ran");
        var result = await Run.NonoAsync(verb, "/bin/sh", "-c", $"touch {marker}", option, _tree.Root);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{option}' comes after the command '/bin/sh'", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task After_double_dash_every_word_is_the_commands_and_without_options_none_is_needed()
    {
        var afterDash = await Run.NonoAsync("wrap", "--", "/bin/echo", "--allow-net", "--write");
        var noDash = await Run.NonoAsync("wrap", "/bin/echo", "plain", "-n");

        Assert.Equal(0, afterDash.ExitCode);
        Assert.Equal("--allow-net --write", afterDash.Stdout);
        Assert.Equal(0, noDash.ExitCode);
        Assert.Equal("plain -n", noDash.Stdout);
    }

    [Theory]
    [InlineData("--read")]
    [InlineData("--allow-env")]
    public async Task A_path_or_name_option_without_its_value_is_a_usage_error(string option)
    {
        var result = await Run.NonoAsync("wrap", option, "--", "/bin/true");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Required argument missing for option: '{option}'", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _tree.Dispose();
}
