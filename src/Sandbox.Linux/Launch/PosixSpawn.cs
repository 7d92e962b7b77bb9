using System.Runtime.InteropServices;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// posix_spawn with descriptor mapping. .NET cannot run code between fork and exec, and
/// Process.Start offers no way to place a descriptor at a chosen number; posix_spawn does both
/// without managed code in the child. Every signal gets its default disposition and none is
/// blocked, so the runtime's ignored SIGPIPE does not leak into the child.
/// </summary>
internal static unsafe class PosixSpawn
{
    private const short SetSigDefault = 0x04;
    private const short SetSigMask = 0x08;
    private const short SetPgroup = 0x02;
    private const int WaitUntraced = 2;
    private const int OpaqueSize = 1024; // larger than glibc's and musl's posix_spawn structures

    /// <summary>Starts <paramref name="argv"/>[0] with <paramref name="mapping"/> (source fd → child fd).
    /// Sources must be numbered above every target so one dup2 cannot clobber another's source.</summary>
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
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        using var nativeArgv = new NativeStrings(argv);
        using var nativeEnv = new NativeStrings(environment);
        var path = NativeStrings.Allocate(executable ?? argv[0]);
        try
        {
            Check(Libc.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(Libc.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            try
            {
                foreach (var (source, target) in mapping)
                {
                    Check(Libc.PosixSpawnFileActionsAddDup2(actions, source, target), "posix_spawn_file_actions_adddup2");
                }

                var signals = stackalloc byte[128];
                Libc.SigFillSet(signals);
                Check(Libc.PosixSpawnAttrSetSigDefault(attributes, signals), "posix_spawnattr_setsigdefault");
                Libc.SigEmptySet(signals);
                if (blockRelayedSignals)
                {
                    RelayedSignals.Fill(signals);
                }

                Check(Libc.PosixSpawnAttrSetSigMask(attributes, signals), "posix_spawnattr_setsigmask");
                var flags = SetSigDefault | SetSigMask;
                if (ownProcessGroup)
                {
                    Check(JobControl.PosixSpawnAttrSetPgroup(attributes, 0), "posix_spawnattr_setpgroup");
                    flags |= SetPgroup;
                }

                Check(Libc.PosixSpawnAttrSetFlags(attributes, (short)flags), "posix_spawnattr_setflags");

                int pid;
                var failed = Libc.PosixSpawn(&pid, path, actions, attributes, nativeArgv.Pointer, nativeEnv.Pointer);
                if (failed != 0 && LaunchExitStatus.IsCannotExecuteErrno(failed))
                {
                    throw new TargetExecException($"cannot execute '{executable ?? argv[0]}': {Errno.Describe(failed)}", failed);
                }

                Check(failed, $"posix_spawn '{executable ?? argv[0]}'");
                return pid;
            }
            finally
            {
                Libc.PosixSpawnFileActionsDestroy(actions);
                Libc.PosixSpawnAttrDestroy(attributes);
            }
        }
        finally
        {
            NativeMemory.Free(path);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
        }
    }

    /// <summary>Waits for <paramref name="pid"/> and returns its exit code, or 128 + N for signal N.
    /// With <paramref name="stopped"/>, each stop of the child is reported to it before waiting on.</summary>
    public static int Wait(int pid, Action? stopped = null)
    {
        int status;
        while (true)
        {
            if (Libc.WaitPid(pid, &status, stopped is null ? 0 : WaitUntraced) < 0)
            {
                if (Errno.Last == Errno.EINTR)
                {
                    continue;
                }

                throw new SandboxSetupException($"waitpid {pid}", Errno.Last);
            }

            if ((status & 0xff) != 0x7f)
            {
                break;
            }

            stopped?.Invoke();
        }

        return LaunchExitStatus.FromWaitStatus(status);
    }

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

    private static void Check(int result, string step)
    {
        // posix_spawn* return the error number instead of setting errno.
        if (result != 0)
        {
            throw new SandboxSetupException(step, result);
        }
    }
}
