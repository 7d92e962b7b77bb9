using System.Runtime.InteropServices;
using Nono.Sandbox;

namespace Nono.Interop;

/// <summary>
/// posix_spawn with descriptor mapping, for both launchers. .NET cannot run code between fork and
/// exec, and Process.Start cannot place a descriptor at a chosen number; posix_spawn does both
/// without managed code in the child. Every signal gets its default disposition and only
/// <see cref="SpawnRequest.BlockedSignals"/> are blocked, so the runtime's ignored SIGPIPE and its
/// thread's mask do not leak into the child.
/// </summary>
internal static unsafe class PosixSpawner
{
    private const int WaitUntraced = 2;   // WUNTRACED, the same on Linux and macOS
    private const int Eintr = 4;          // EINTR, likewise

    /// <summary>Starts <paramref name="request"/>; returns 0 with the child's pid, or the error number
    /// posix_spawn itself reported (the caller decides what a failure to execute means).</summary>
    /// <exception cref="SandboxSetupException">The spawn could not be prepared.</exception>
    public static int TrySpawn(SpawnRequest request, out int pid)
    {
        SpawnMapping.Check(request.Mapping);
        if (request.CloseUnnamedDescriptors && !OperatingSystem.IsMacOS())
        {
            throw new SandboxSetupException("posix_spawn", "POSIX_SPAWN_CLOEXEC_DEFAULT (closing every descriptor not named) exists on macOS only");
        }

        if (NativeStrings.AnyContainsNul([request.Executable, .. request.Arguments, .. request.Environment]))
        {
            throw new SandboxSetupException("posix_spawn", "an argument or environment entry contains a NUL character");
        }

        var actions = NativeMemory.AllocZeroed(Posix.SpawnObjectBytes);
        var attributes = NativeMemory.AllocZeroed(Posix.SpawnObjectBytes);
        using var nativeArgv = new NativeStrings(request.Arguments);
        using var nativeEnv = new NativeStrings(request.Environment);
        var path = NativeStrings.Allocate(request.Executable);
        try
        {
            Check(Posix.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            try
            {
                Check(Posix.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
                try
                {
                    AddFileActions(actions, request);
                    SetAttributes(attributes, request);
                    int child;
                    var failed = Posix.PosixSpawn(&child, path, actions, attributes, nativeArgv.Pointer, nativeEnv.Pointer);
                    pid = failed == 0 ? child : 0;
                    return failed;
                }
                finally
                {
                    Posix.PosixSpawnAttrDestroy(attributes);
                }
            }
            finally
            {
                Posix.PosixSpawnFileActionsDestroy(actions);
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
            if (Posix.WaitPid(pid, &status, stopped is null ? 0 : WaitUntraced) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                throw new SandboxSetupException($"waitpid {pid}", errno);
            }

            if ((status & 0xff) != 0x7f)
            {
                return LaunchExitStatus.FromWaitStatus(status);
            }

            stopped?.Invoke();
        }
    }

    /// <summary>Waits up to <paramref name="bound"/> for <paramref name="pid"/> to exit; true (and its
    /// status as <see cref="Wait"/> gives it) when it did, false when it is still running.</summary>
    public static bool TryWait(int pid, TimeSpan bound, out int exitStatus)
    {
        const int NoHang = 1;
        var deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        int status;
        while (true)
        {
            var reaped = Posix.WaitPid(pid, &status, NoHang);
            if (reaped < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                throw new SandboxSetupException($"waitpid {pid}", errno);
            }

            if (reaped == pid)
            {
                exitStatus = LaunchExitStatus.FromWaitStatus(status);
                return true;
            }

            if (Environment.TickCount64 >= deadline)
            {
                exitStatus = 0;
                return false;
            }

            Thread.Sleep(2);
        }
    }

    private static void AddFileActions(void* actions, SpawnRequest request)
    {
        foreach (var (source, target) in request.Mapping)
        {
            // Under CLOEXEC_DEFAULT a descriptor kept at its own number must be named as inherited:
            // dup2 onto itself is not an action that keeps it.
            Check(
                source == target && request.CloseUnnamedDescriptors
                    ? Posix.PosixSpawnFileActionsAddInherit(actions, target)
                    : Posix.PosixSpawnFileActionsAddDup2(actions, source, target),
                "posix_spawn_file_actions_adddup2");
        }

        foreach (var fd in request.Inherit)
        {
            Check(Posix.PosixSpawnFileActionsAddInherit(actions, fd), "posix_spawn_file_actions_addinherit_np");
        }
    }

    private static void SetAttributes(void* attributes, SpawnRequest request)
    {
        var signals = stackalloc byte[Posix.SignalSetBytes];
        Posix.SigFillSet(signals);
        Check(Posix.PosixSpawnAttrSetSigDefault(attributes, signals), "posix_spawnattr_setsigdefault");
        Posix.SigEmptySet(signals);
        foreach (var signal in request.BlockedSignals)
        {
            Posix.SigAddSet(signals, signal);
        }

        Check(Posix.PosixSpawnAttrSetSigMask(attributes, signals), "posix_spawnattr_setsigmask");
        var flags = Posix.SpawnSetSignalDefault | Posix.SpawnSetSignalMask;
        if (request.OwnProcessGroup)
        {
            Check(Posix.PosixSpawnAttrSetPgroup(attributes, 0), "posix_spawnattr_setpgroup");
            flags |= Posix.SpawnSetProcessGroup;
        }

        if (request.CloseUnnamedDescriptors)
        {
            flags |= Posix.SpawnCloseOnExecDefault;
        }

        Check(Posix.PosixSpawnAttrSetFlags(attributes, (short)flags), "posix_spawnattr_setflags");
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
