using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// posix_spawn for the macOS trampoline. POSIX_SPAWN_CLOEXEC_DEFAULT closes every descriptor the
/// file actions do not name, so nothing of the supervisor (proxy sockets, the trust bundle, the PTY
/// controller) can reach the child whatever its close-on-exec flag; every signal gets its default
/// disposition and none is blocked, so the runtime's ignored SIGPIPE does not leak into the child.
/// </summary>
[SupportedOSPlatform("macos")]
internal static unsafe class PosixSpawn
{
    /// <summary>Starts <paramref name="argv"/>[0]. <paramref name="mapping"/> places a supervisor
    /// descriptor at a child descriptor (a source equal to its target is simply inherited);
    /// <paramref name="inherit"/> keeps descriptors at their own number.</summary>
    public static int Spawn(
        IReadOnlyList<string> argv,
        IReadOnlyList<string> environment,
        IReadOnlyList<(int Source, int Target)> mapping,
        IReadOnlyList<int> inherit)
    {
        SpawnMapping.Check(mapping);
        if (CStrings.AnyContainsNul(argv.Concat(environment)))
        {
            throw new SandboxSetupException("posix_spawn", "an argument or environment entry contains a NUL character");
        }

        nint actions = 0;
        nint attributes = 0;
        var path = CStrings.Allocate(argv[0]);
        var nativeArgv = CStrings.AllocateArray(argv);
        var nativeEnv = CStrings.AllocateArray(environment);
        try
        {
            Check(LaunchInterop.FileActionsInit(&actions), "posix_spawn_file_actions_init");
            try
            {
                Check(LaunchInterop.AttrInit(&attributes), "posix_spawnattr_init");
                try
                {
                    foreach (var (source, target) in mapping)
                    {
                        Check(
                            source == target
                                ? LaunchInterop.FileActionsAddInherit(&actions, target)
                                : LaunchInterop.FileActionsAddDup2(&actions, source, target),
                            "posix_spawn_file_actions_adddup2");
                    }

                    foreach (var fd in inherit)
                    {
                        Check(LaunchInterop.FileActionsAddInherit(&actions, fd), "posix_spawn_file_actions_addinherit_np");
                    }

                    var all = uint.MaxValue;
                    var none = 0u;
                    Check(LaunchInterop.AttrSetSigDefault(&attributes, &all), "posix_spawnattr_setsigdefault");
                    Check(LaunchInterop.AttrSetSigMask(&attributes, &none), "posix_spawnattr_setsigmask");
                    Check(
                        LaunchInterop.AttrSetFlags(&attributes, LaunchInterop.SpawnSetSigDefault | LaunchInterop.SpawnSetSigMask | LaunchInterop.SpawnCloexecDefault),
                        "posix_spawnattr_setflags");

                    int pid;
                    Check(LaunchInterop.PosixSpawn(&pid, path, &actions, &attributes, nativeArgv, nativeEnv), $"posix_spawn '{argv[0]}'");
                    return pid;
                }
                finally
                {
                    LaunchInterop.AttrDestroy(&attributes);
                }
            }
            finally
            {
                LaunchInterop.FileActionsDestroy(&actions);
            }
        }
        finally
        {
            NativeMemory.Free(path);
            CStrings.FreeArray(nativeArgv, argv.Count);
            CStrings.FreeArray(nativeEnv, environment.Count);
        }
    }

    /// <summary>Waits for <paramref name="pid"/> and returns its exit code, or 128 + N for signal N.</summary>
    public static int Wait(int pid)
    {
        int status;
        while (LaunchInterop.WaitPid(pid, &status, 0) < 0)
        {
            var errno = LaunchInterop.LastError;
            if (errno != LaunchInterop.Eintr)
            {
                throw new SandboxSetupException($"waitpid {pid}", LaunchInterop.Describe(errno));
            }
        }

        return LaunchExitStatus.FromWaitStatus(status);
    }

    private static void Check(int result, string step)
    {
        // posix_spawn* return the error number instead of setting errno.
        if (result != 0)
        {
            throw new SandboxSetupException(step, LaunchInterop.Describe(result));
        }
    }
}
