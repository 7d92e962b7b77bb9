namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>
/// Ways a same-user program reaches processes outside its sandbox through calls Landlock does not
/// see. Each is closed at the root by a namespace where the launch has one; where it has not, the
/// seccomp filter refuses the calls instead (the flags below), at the cost written beside each.
/// </summary>
[Flags]
internal enum HostGuards
{
    None = 0,

    /// <summary>No IPC namespace: refuse every SysV shared-memory, semaphore and message-queue call,
    /// since their keys and ids name the host's objects (POSIX shared memory lives in /dev/shm, which
    /// Landlock governs).</summary>
    SysVIpc = 1,

    /// <summary>No PID namespace: refuse prlimit64 that sets limits of another process, setpriority,
    /// sched_setparam/setscheduler/setaffinity/setattr and ioprio_set aimed at anything but the
    /// caller itself (pid 0). Costs: a program cannot renice, pin or limit its own children or
    /// threads by id.</summary>
    OtherProcesses = 2,

    /// <summary>The program shares the user's terminal and nothing ends what it leaves behind:
    /// refuse TIOCSPGRP (tcsetpgrp), which would let a leftover process take the terminal's
    /// foreground from the user's shell. Cost: an interactive shell in such a sandbox has no job
    /// control.</summary>
    TerminalForeground = 4,
}
