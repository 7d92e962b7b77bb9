using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// The signals a PID-namespace launch passes from the supervisor to the program: blocked from the
/// first instruction of the relay and the init (the spawner sets the mask, so every runtime thread
/// inherits it and none can take one by default action), and taken synchronously by their main
/// thread. SIGCHLD is among them so that exits arrive through the same wait. Stop and continue
/// signals are not: a terminal's Ctrl-Z must stop the relay with the program, as it stops a job.
/// </summary>
internal static unsafe class RelayedSignals
{
    public const int SigChld = 17;

    /// <summary>HUP INT QUIT USR1 USR2 ALRM TERM WINCH, and CHLD.</summary>
    public static IReadOnlyList<int> Numbers { get; } = [1, 2, 3, 10, 12, 14, 15, 28, SigChld];

    /// <summary>Fills the 128-byte sigset_t at <paramref name="set"/> with <see cref="Numbers"/>.</summary>
    public static void Fill(byte* set)
    {
        Posix.SigEmptySet(set);
        foreach (var signal in Numbers)
        {
            Posix.SigAddSet(set, signal);
        }
    }

    /// <summary>True when a signal was sent by a process (kill, sigqueue, tgkill) rather than raised by
    /// the kernel for a terminal, which delivers it to the whole foreground group, the program included.</summary>
    public static bool SentByProcess(byte* info) => SignalWait.Code(info) <= 0;

    /// <summary>
    /// Takes every relayed signal already pending, SIGCHLD aside, without waiting: before the program
    /// exists, a signal for it (the relay's, or a terminal's Ctrl-C that reached the foreground group
    /// while only the init was in it) can only wait here, and must be passed on once it runs.
    /// </summary>
    public static List<int> TakePending(byte* set, byte* info)
    {
        var pending = new List<int>();
        var now = new SignalWait.TimeSpec { Seconds = 0, Nanoseconds = 0 };
        while (true)
        {
            var signal = SignalWait.SigTimedWait(set, info, &now);
            if (signal > 0)
            {
                if (signal != SigChld && !pending.Contains(signal))
                {
                    pending.Add(signal);
                }

                continue;
            }

            if (Errno.Last == Errno.EINTR)
            {
                continue;
            }

            return pending; // EAGAIN: nothing more is pending
        }
    }

    /// <summary>Waits for the next relayed signal; returns its number and leaves its siginfo in <paramref name="info"/>.</summary>
    public static int Next(byte* set, byte* info)
    {
        while (true)
        {
            var signal = SignalWait.SigWaitInfo(set, info);
            if (signal > 0)
            {
                return signal;
            }

            if (Errno.Last != Errno.EINTR)
            {
                throw new SandboxSetupException("sigwaitinfo", Errno.Last);
            }
        }
    }
}
