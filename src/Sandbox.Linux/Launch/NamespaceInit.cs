using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Stage 2 as pid 1 of the program's PID namespace (unshare --pid --fork --kill-child). After
/// confining itself exactly as for an exec (Landlock and seccomp on this thread, which the program
/// inherits), it spawns the program instead of becoming it, then only passes on the supervisor's
/// signals and reaps. When the program exits, every other process in the namespace gets SIGTERM,
/// and whatever still runs a second later dies with this process: the kernel kills a PID namespace
/// whole when its init exits. This init also exits when the supervisor dies (its lifeline pipe
/// reaches end of file) and is killed when unshare dies (--kill-child). Nothing the program does to
/// itself (clearing its parent-death signal, setsid, a chain of forks) outlives that, and inside the
/// namespace pid 1 receives no signal it does not wait for, so the program cannot kill it.
/// </summary>
internal static unsafe class NamespaceInit
{
    private const int WaitNoHang = 1;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigKill = 9;
    private const int MsNosuid = 2, MsNodev = 4, MsNoexec = 8;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    /// <summary>A /proc of the namespace's own: the program sees its own processes only, not other
    /// programs' command lines. Mounted before Landlock opens its rules, so that the /proc grant is this one.</summary>
    public static void MountProc()
    {
        if (Libc.Mount("proc", "/proc", "proc", MsNosuid | MsNodev | MsNoexec, null) != 0)
        {
            throw new SandboxSetupException("mount a /proc for the PID namespace", Errno.Last);
        }
    }

    /// <summary>Spawns the target, relays signals and reaps until it exits; returns its status.</summary>
    public static int Run(LinuxLaunchSpec spec)
    {
        WatchLifeline(spec.LifelineFd);
        // Landlock and seccomp hold this thread only, not the runtime's other threads: were this
        // process dumpable, the program (same user, same Landlock domain) could write into its memory
        // through /proc/1/mem and run code on one of them.
        ProcessControl.SetNotDumpable();
        var set = stackalloc byte[128];
        var info = stackalloc byte[128];
        RelayedSignals.Fill(set);
        var early = RelayedSignals.TakePending(set, info);
        var target = PosixSpawn.Spawn(spec.Target.Arguments, spec.Target.Environment, [], executable: spec.Target.Executable);
        foreach (var signal in early)
        {
            Posix.Kill(target, signal);
        }

        while (true)
        {
            var signal = RelayedSignals.Next(set, info);
            if (signal != RelayedSignals.SigChld)
            {
                // Only what the relay sends (from outside, so si_pid reads 0): a keyboard signal has
                // reached the program already, and one from inside the namespace is the program's own.
                if (RelayedSignals.SentByProcess(info) && SignalWait.SenderPid(info) == 0)
                {
                    Posix.Kill(target, signal);
                }

                continue;
            }

            if (ReapUntil(target) is { } status)
            {
                EndTheRest(set, info);
                return status;
            }
        }
    }

    /// <summary>Ends the namespace when the supervisor is gone: a thread of its own blocks reading a
    /// pipe whose write end only the supervisor holds, and exits the process at end of file.</summary>
    private static void WatchLifeline(int fd)
    {
        if (fd < 0)
        {
            return;
        }

        var thread = new Thread(() =>
        {
            var buffer = stackalloc byte[1];
            while (Posix.Read(fd, buffer, 1) is var read && (read > 0 || (read < 0 && Errno.Last == Errno.EINTR)))
            {
            }

            SignalWait.ExitNow(128 + SigKill);
        })
        {
            IsBackground = true,
            Name = "nono supervisor lifeline",
        };
        thread.Start();
    }

    /// <summary>Reaps every exited child; returns the target's status once it is among them.</summary>
    private static int? ReapUntil(int target)
    {
        int? result = null;
        int status;
        int pid;
        while ((pid = Posix.WaitPid(-1, &status, WaitNoHang)) > 0)
        {
            if (pid == target)
            {
                result = LaunchExitStatus.FromWaitStatus(status);
            }
        }

        return result;
    }

    private static void EndTheRest(byte* set, byte* info)
    {
        var left = Directory.EnumerateDirectories("/proc").Count(entry => int.TryParse(Path.GetFileName(entry), out var pid) && pid != 1);
        if (left == 0)
        {
            return;
        }

        // kill(-1) from pid 1 reaches every other process of the namespace.
        Posix.Kill(-1, SigTerm);
        Posix.Kill(-1, SigCont);
        var deadline = DateTime.UtcNow + Grace;
        int status;
        while (DateTime.UtcNow < deadline)
        {
            while (Posix.WaitPid(-1, &status, WaitNoHang) > 0)
            {
            }

            if (Posix.WaitPid(-1, &status, WaitNoHang) < 0 && Errno.Last == Errno.ECHILD)
            {
                break;
            }

            var remaining = deadline - DateTime.UtcNow;
            var timeout = new SignalWait.TimeSpec { Seconds = 0, Nanoseconds = Math.Clamp(remaining.Ticks * 100, 1, 999_999_999) };
            SignalWait.SigTimedWait(set, info, &timeout);
        }

        StageLog.Error($"ended {left} background process(es) the command left running");
    }
}
