using Nono.Interop;

namespace Nono.Sandbox.Tests;

/// <summary>The one posix_spawn wrapper, run for real with /bin/sh as the child.</summary>
public sealed class PosixSpawnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nono-spawn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Mapped_descriptor_becomes_the_childs_stdout()
    {
        Assert.Equal("hello", RunShell("echo hello").Output);
    }

    [Fact]
    public void Child_starts_with_default_dispositions_and_only_the_requested_signals_blocked()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The runtime ignores SIGPIPE in this process; the child must not inherit that. grep is the
        // child itself: a shell may reset its own mask.
        var (output, _) = Run(["/bin/grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"], blocked: [10 /* SIGUSR1 */]);

        Assert.Equal(1UL << (10 - 1), Mask(output, "SigBlk"));
        Assert.Equal(0UL, Mask(output, "SigIgn") & (1UL << (13 - 1))); // SIGPIPE
    }

    [Fact]
    public void Own_process_group_makes_the_child_its_leader()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (output, pid) = RunShell("cut -d' ' -f5 /proc/$$/stat", ownGroup: true);

        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), output);
    }

    [Fact]
    public void Missing_program_is_reported_with_its_error_number()
    {
        var failed = PosixSpawner.TrySpawn(
            new SpawnRequest { Executable = Path.Join(_directory, "absent"), Arguments = ["absent"], Environment = [] },
            out var pid);

        Assert.Equal(2, failed); // ENOENT, the same on Linux and macOS
        Assert.Equal(0, pid);
    }

    [Fact]
    public void Argument_with_a_nul_character_is_refused_before_spawning()
    {
        var error = Assert.Throws<SandboxSetupException>(() => PosixSpawner.TrySpawn(
            new SpawnRequest { Executable = "/bin/sh", Arguments = ["sh", "-c", "true\0rm -rf ~"], Environment = [] },
            out _));

        Assert.Equal(LaunchExitStatus.SetupFailed, error.ExitStatus);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_whose_source_an_earlier_action_replaced_is_refused()
    {
        Assert.Throws<SandboxSetupException>(() => PosixSpawner.TrySpawn(
            new SpawnRequest { Executable = "/bin/true", Arguments = ["true"], Environment = [], Mapping = [(5, 1), (1, 2)] },
            out _));
    }

    [Fact]
    public void Closing_unnamed_descriptors_is_refused_where_the_system_cannot()
    {
        if (OperatingSystem.IsMacOS())
        {
            return;
        }

        // Linux has no POSIX_SPAWN_CLOEXEC_DEFAULT: a request relying on it must not run with every
        // descriptor of the supervisor open.
        Assert.Throws<SandboxSetupException>(() => PosixSpawner.TrySpawn(
            new SpawnRequest { Executable = "/bin/true", Arguments = ["true"], Environment = [], CloseUnnamedDescriptors = true },
            out _));
    }

    private static ulong Mask(string status, string name)
    {
        var line = status.Split('\n').Single(line => line.StartsWith(name + ":", StringComparison.Ordinal));
        return ulong.Parse(line[(name.Length + 1)..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    }

    private (string Output, int Pid) RunShell(string script, bool ownGroup = false) =>
        Run(["/bin/sh", "-c", script], ownGroup);

    private (string Output, int Pid) Run(IReadOnlyList<string> argv, bool ownGroup = false, IReadOnlyList<int>? blocked = null)
    {
        var outputPath = Path.Join(_directory, "out");
        using (var output = File.OpenHandle(outputPath, FileMode.Create, FileAccess.Write))
        {
            var fd = (int)output.DangerousGetHandle();
            var failed = PosixSpawner.TrySpawn(
                new SpawnRequest
                {
                    Executable = argv[0],
                    Arguments = argv,
                    Environment = ["PATH=/usr/bin:/bin"],
                    Mapping = [(fd, 1)],
                    OwnProcessGroup = ownGroup,
                    BlockedSignals = blocked ?? [],
                },
                out var pid);
            Assert.Equal(0, failed);
            Assert.Equal(0, PosixSpawner.Wait(pid));
            return (File.ReadAllText(outputPath).Trim(), pid);
        }
    }
}
