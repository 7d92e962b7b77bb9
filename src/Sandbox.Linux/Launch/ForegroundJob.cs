using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Terminal job control for a child that runs in a process group of its own. The keyboard's signals
/// (Ctrl-C, Ctrl-\, Ctrl-Z) go to the terminal's whole foreground group: were the child in nono's
/// group, it would get each one twice, from the terminal and again forwarded by nono. So the child
/// leads its own group and, when nono is in the foreground of the terminal on its stdin, takes the
/// foreground for its life, as a shell's job does. When the child stops, nono takes the terminal back
/// and stops itself, so the user's shell sees the job stop; when the shell continues nono (fg or bg),
/// nono hands the terminal on again if it was given the foreground, and continues the child.
/// </summary>
internal sealed class ForegroundJob
{
    private const int TerminalFd = 0;
    private const int SigStop = 19;
    private const int SigCont = 18;
    private const int SigTtou = 22;

    private readonly int _supervisorGroup;

    private ForegroundJob(int supervisorGroup, bool holdsTerminal)
    {
        _supervisorGroup = supervisorGroup;
        HoldsTerminal = holdsTerminal;
    }

    /// <summary>True when nono was the terminal's foreground group at the start: only then does the child get the foreground.</summary>
    public bool HoldsTerminal { get; }

    /// <summary>Looks at the terminal on stdin before the child starts.</summary>
    public static ForegroundJob Prepare()
    {
        var group = JobControl.GetPgrp();
        var foreground = Posix.IsATty(TerminalFd) == 1 && JobControl.TcGetPgrp(TerminalFd) == group;
        return new ForegroundJob(group, foreground);
    }

    /// <summary>The child (leader of group <paramref name="childPid"/>) has started.</summary>
    public void Started(int childPid)
    {
        if (HoldsTerminal)
        {
            GiveTerminal(childPid);
        }
    }

    /// <summary>The child has stopped: pass the stop on to nono's own caller, and resume the child with nono.</summary>
    public void ChildStopped(int childPid)
    {
        TakeBackFrom(childPid);

        // Stop this very thread. kill(getpid()) would queue the stop for the whole process, and any
        // thread may take it: this one could run on and hand the terminal back to the child before
        // nono had stopped, and the child would then read the keys meant for the user's shell.
        // Directed at the calling thread, the stop takes effect before tgkill returns to this code.
        JobControl.TgKill(Libc.GetPid(), JobControl.GetTid(), SigStop);

        // Continued. `fg` gives nono's group the terminal again; `bg` does not, and then neither does nono.
        if (HoldsTerminal && JobControl.TcGetPgrp(TerminalFd) == _supervisorGroup)
        {
            GiveTerminal(childPid);
        }

        Posix.Kill(-childPid, SigCont);
    }

    /// <summary>The child has exited: the terminal returns to nono's group if the child's group still holds it.</summary>
    public void Exited(int childPid) => TakeBackFrom(childPid);

    private void TakeBackFrom(int childPid)
    {
        // Only from the child: taking the terminal while a shell holds it would steal the user's terminal.
        if (HoldsTerminal && JobControl.TcGetPgrp(TerminalFd) == childPid)
        {
            GiveTerminal(_supervisorGroup);
        }
    }

    private static unsafe void GiveTerminal(int group)
    {
        // tcsetpgrp from a background group raises SIGTTOU, which would stop nono, unless the caller
        // ignores or blocks it. Blocked in this thread only: changing the process-wide disposition
        // would race with the runtime, which swaps SIGTTOU's handler itself when it restores the
        // terminal on SIGCONT, and one lost handler would stop nono in the middle of `fg`.
        const int Block = 0, SetMask = 2;
        var blocked = stackalloc byte[128];
        var previous = stackalloc byte[128];
        Posix.SigEmptySet(blocked);
        Posix.SigAddSet(blocked, SigTtou);
        Posix.PthreadSigmask(Block, blocked, previous);
        JobControl.TcSetPgrp(TerminalFd, group);
        Posix.PthreadSigmask(SetMask, previous, null);
    }
}
