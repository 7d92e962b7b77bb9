using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// The Linux launcher's use of the shared <see cref="PosixSpawner"/>: sources are close-on-exec
/// copies numbered above every target (<see cref="DuplicateHigh"/>), so nothing but the mapping
/// reaches the child, and a target that cannot be executed is reported as such (exit status 127).
/// </summary>
internal static class PosixSpawn
{
    /// <summary>Starts <paramref name="argv"/>[0] with <paramref name="mapping"/> (source fd → child fd).</summary>
    /// <param name="ownProcessGroup">The child leads a new process group (its pgid is its pid).</param>
    /// <param name="blockRelayedSignals">The child starts with <see cref="RelayedSignals"/> blocked
    /// (the PID-namespace relay and init take them synchronously).</param>
    /// <param name="executable">The file to execute, when it is not <paramref name="argv"/>[0].</param>
    public static int Spawn(
        IReadOnlyList<string> argv,
        IReadOnlyList<string> environment,
        IReadOnlyList<(int Source, int Target)> mapping,
        bool ownProcessGroup = false,
        bool blockRelayedSignals = false,
        string? executable = null)
    {
        var path = executable ?? argv[0];
        var failed = PosixSpawner.TrySpawn(
            new SpawnRequest
            {
                Executable = path,
                Arguments = argv,
                Environment = environment,
                Mapping = mapping,
                OwnProcessGroup = ownProcessGroup,
                BlockedSignals = blockRelayedSignals ? RelayedSignals.Numbers : [],
            },
            out var pid);
        if (failed == 0)
        {
            return pid;
        }

        if (LaunchExitStatus.IsCannotExecuteErrno(failed))
        {
            throw new TargetExecException($"cannot execute '{path}': {Errno.Describe(failed)}", failed);
        }

        throw new SandboxSetupException($"posix_spawn '{path}'", failed);
    }

    /// <inheritdoc cref="PosixSpawner.Wait"/>
    public static int Wait(int pid, Action? stopped = null) => PosixSpawner.Wait(pid, stopped);

    /// <inheritdoc cref="PosixSpawner.TryWait"/>
    public static bool TryWait(int pid, TimeSpan bound, out int exitStatus) => PosixSpawner.TryWait(pid, bound, out exitStatus);

    /// <summary>A close-on-exec duplicate numbered 10 or above.</summary>
    public static SafeFd DuplicateHigh(int fd)
    {
        var copy = Libc.Fcntl(fd, OpenFlags.FDupFdCloExec, 10);
        if (copy < 0)
        {
            throw new SandboxSetupException($"duplicate descriptor {fd}", Errno.Last);
        }

        return new SafeFd(copy);
    }
}
