using System.Globalization;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Keeps what a sandboxed command leaves running in the background (`daemon &amp;`, a double fork, a
/// setsid'd server) from outliving the session: its proxy, temp directory and trust bundle are gone
/// at teardown, so such a process would linger half-working, still sandboxed, with nothing to tell the
/// user. The supervisor becomes a child subreaper before it starts the command, so every orphan in the
/// command's tree is re-parented to nono instead of to init; once the command has exited, each
/// remaining child of nono is asked to end (SIGTERM, then SIGKILL after a grace period) and reaped.
/// With a PID namespace (the normal case) the namespace's init has ended everything before this runs
/// and finds nothing; this is the fallback where user namespaces are unavailable. There, if nono itself
/// is SIGKILLed, the command dies with it (PR_SET_PDEATHSIG) but orphans it had already left behind are
/// re-parented to init and keep running.
/// </summary>
public static class SessionReaper
{
    private const int PrSetChildSubreaper = 36;
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int WaitNoHang = 1;

    /// <summary>Makes this process the subreaper of everything it starts from now on.</summary>
    /// <exception cref="SandboxLaunchException">The kernel refused (it has supported this since Linux 3.4).</exception>
    public static void AdoptOrphans()
    {
        if (Libc.Prctl(PrSetChildSubreaper, 1, 0, 0, 0) != 0)
        {
            throw new SandboxLaunchException($"cannot become the subreaper of the session's processes: prctl(PR_SET_CHILD_SUBREAPER): {Errno.Describe(Errno.Last)}");
        }
    }

    /// <summary>Ends every remaining child of this process (call it after the command has exited, when
    /// nono has no child of its own left) and returns how many there were.</summary>
    public static int EndOrphans(TimeSpan grace)
    {
        // The usual case, and one syscall instead of a walk through every process in /proc.
        if (!HasChildren())
        {
            return 0;
        }

        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + grace;
        var signal = SigTerm;

        // Ending one orphan can re-parent its own children to nono: repeat until none is left.
        for (var round = 0; round < 1000; round++)
        {
            var children = ChildrenOf(Environment.ProcessId);
            if (children.Count == 0)
            {
                break;
            }

            if (signal == SigTerm && DateTime.UtcNow >= deadline)
            {
                signal = SigKill;
            }

            foreach (var pid in children)
            {
                ended.Add(pid);
                Posix.Kill(pid, signal);
                Posix.Kill(pid, SigCont); // a stopped process would otherwise never act on SIGTERM
            }

            Thread.Sleep(20);
            Reap(children);
        }

        return ended.Count;
    }

    /// <summary>True unless waitid reports that this process has no child at all (running, stopped or exited).</summary>
    private static unsafe bool HasChildren()
    {
        const int PAll = 0;
        const int WNoHang = 1, WStopped = 2, WExited = 4, WContinued = 8, WNoWait = 0x01000000;
        var info = stackalloc byte[128];
        while (true)
        {
            if (Libc.WaitId(PAll, 0, info, WExited | WStopped | WContinued | WNoHang | WNoWait) == 0)
            {
                return true;
            }

            if (Errno.Last != Errno.EINTR)
            {
                return Errno.Last != Errno.ECHILD; // anything unexpected: look in /proc
            }
        }
    }

    private static unsafe void Reap(List<int> pids)
    {
        int status;
        foreach (var pid in pids)
        {
            Posix.WaitPid(pid, &status, WaitNoHang);
        }
    }

    /// <summary>The pids whose parent is <paramref name="parent"/>, from /proc/&lt;pid&gt;/stat (zombies included,
    /// so that they are reaped).</summary>
    internal static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Join(entry, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) && ppid == parent)
            {
                children.Add(pid);
            }
        }

        return children;
    }
}
