namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>The filter's part for <see cref="HostGuards"/>: calls that reach other processes of the
/// same user, refused when no namespace separates the sandbox from them.</summary>
internal static partial class SeccompProgram
{
    /// <summary>The SysV IPC calls; their keys and ids name objects of the whole IPC namespace.</summary>
    public static IReadOnlyList<string> SysVIpcSyscalls { get; } =
    [
        "shmget", "shmat", "shmctl", "shmdt", "semget", "semop", "semctl", "semtimedop",
        "msgget", "msgsnd", "msgrcv", "msgctl",
    ];

    /// <summary>Calls whose first argument is a pid (0 meaning the caller).</summary>
    public static IReadOnlyList<string> PidFirstSyscalls { get; } =
        ["sched_setparam", "sched_setscheduler", "sched_setaffinity", "sched_setattr"];

    private const uint PrioProcess = 0;
    private const uint IoprioWhoProcess = 1;

    private static uint ArgHigh(int index) => ArgLow(index) + 4;

    private static void EmitGuardDispatch(BpfAssembler asm, SyscallTable table, HostGuards guards)
    {
        if (guards.HasFlag(HostGuards.SysVIpc))
        {
            foreach (var name in SysVIpcSyscalls)
            {
                asm.JumpIfEqual(table[name], "eperm");
            }
        }

        if (guards.HasFlag(HostGuards.OtherProcesses))
        {
            foreach (var name in PidFirstSyscalls)
            {
                asm.JumpIfEqual(table[name], "self_only");
            }

            asm.JumpIfEqual(table["prlimit64"], "prlimit")
                .JumpIfEqual(table["setpriority"], "which_self")
                .JumpIfEqual(table["ioprio_set"], "ioprio");
        }
    }

    private static void EmitGuardRules(BpfAssembler asm, HostGuards guards)
    {
        if (!guards.HasFlag(HostGuards.OtherProcesses))
        {
            return;
        }

        // pid_t is an int: the kernel ignores the high half, so the low word decides.
        asm.Label("self_only")
            .Load(ArgLow(0))
            .JumpIfEqual(0, "allow", "eperm");

        // prlimit64(pid, resource, new_limit, old_limit): reading another process's limits is
        // harmless; setting them (new_limit not NULL) is how RLIMIT_CPU kills it.
        asm.Label("prlimit")
            .Load(ArgLow(0))
            .JumpIfEqual(0, "allow")
            .Load(ArgLow(2))
            .JumpIfEqual(0, null, "eperm")
            .Load(ArgHigh(2))
            .JumpIfEqual(0, "allow", "eperm");

        // setpriority(which, who, prio) and ioprio_set(which, who, prio): only "this process".
        // A process group or user would reach every process of the user.
        asm.Label("which_self")
            .Load(ArgLow(0))
            .JumpIfEqual(PrioProcess, "who_self", "eperm");
        asm.Label("ioprio")
            .Load(ArgLow(0))
            .JumpIfEqual(IoprioWhoProcess, "who_self", "eperm");
        asm.Label("who_self")
            .Load(ArgLow(1))
            .JumpIfEqual(0, "allow", "eperm");
    }
}
