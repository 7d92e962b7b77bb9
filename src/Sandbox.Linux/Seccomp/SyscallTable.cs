using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>
/// Syscall numbers for one architecture (from the kernel's asm/unistd_64.h for x86_64 and
/// asm-generic/unistd.h for AArch64), and the AUDIT_ARCH value seccomp reports for it.
/// </summary>
internal sealed record SyscallTable(
    string Name,
    uint AuditArch,
    IReadOnlyDictionary<string, uint> Numbers,
    uint? ForeignAbiBit)
{
    public static SyscallTable X86_64 { get; } = new(
        "x86_64",
        0xC000003E, // EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE
        new Dictionary<string, uint>(StringComparer.Ordinal)
        {
            ["ptrace"] = 101, ["process_vm_readv"] = 310, ["process_vm_writev"] = 311, ["bpf"] = 321,
            ["perf_event_open"] = 298, ["userfaultfd"] = 323, ["keyctl"] = 250, ["add_key"] = 248,
            ["request_key"] = 249, ["kexec_load"] = 246, ["kexec_file_load"] = 320, ["init_module"] = 175,
            ["finit_module"] = 313, ["delete_module"] = 176, ["io_uring_setup"] = 425, ["io_uring_enter"] = 426,
            ["io_uring_register"] = 427, ["ioctl"] = 16, ["socket"] = 41, ["socketpair"] = 53, ["unshare"] = 272,
            ["clone"] = 56, ["clone3"] = 435, ["mount"] = 165, ["umount2"] = 166, ["pivot_root"] = 155,
            ["setns"] = 308, ["open_tree"] = 428, ["move_mount"] = 429, ["fsopen"] = 430, ["fsconfig"] = 431,
            ["fsmount"] = 432, ["fspick"] = 433, ["mount_setattr"] = 442, ["open_by_handle_at"] = 304,
            ["seccomp"] = 317,
            ["shmget"] = 29, ["shmat"] = 30, ["shmctl"] = 31, ["shmdt"] = 67, ["semget"] = 64, ["semop"] = 65,
            ["semctl"] = 66, ["semtimedop"] = 220, ["msgget"] = 68, ["msgsnd"] = 69, ["msgrcv"] = 70, ["msgctl"] = 71,
            ["prlimit64"] = 302, ["setpriority"] = 141, ["sched_setparam"] = 142, ["sched_setscheduler"] = 144,
            ["sched_setaffinity"] = 203, ["sched_setattr"] = 314, ["ioprio_set"] = 251,
        },
        ForeignAbiBit: 0x40000000); // __X32_SYSCALL_BIT: x32 calls share AUDIT_ARCH_X86_64

    public static SyscallTable Aarch64 { get; } = new(
        "aarch64",
        0xC00000B7, // EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE
        new Dictionary<string, uint>(StringComparer.Ordinal)
        {
            ["ptrace"] = 117, ["process_vm_readv"] = 270, ["process_vm_writev"] = 271, ["bpf"] = 280,
            ["perf_event_open"] = 241, ["userfaultfd"] = 282, ["keyctl"] = 219, ["add_key"] = 217,
            ["request_key"] = 218, ["kexec_load"] = 104, ["kexec_file_load"] = 294, ["init_module"] = 105,
            ["finit_module"] = 273, ["delete_module"] = 106, ["io_uring_setup"] = 425, ["io_uring_enter"] = 426,
            ["io_uring_register"] = 427, ["ioctl"] = 29, ["socket"] = 198, ["socketpair"] = 199, ["unshare"] = 97,
            ["clone"] = 220, ["clone3"] = 435, ["mount"] = 40, ["umount2"] = 39, ["pivot_root"] = 41,
            ["setns"] = 268, ["open_tree"] = 428, ["move_mount"] = 429, ["fsopen"] = 430, ["fsconfig"] = 431,
            ["fsmount"] = 432, ["fspick"] = 433, ["mount_setattr"] = 442, ["open_by_handle_at"] = 265,
            ["seccomp"] = 277,
            ["shmget"] = 194, ["shmat"] = 196, ["shmctl"] = 195, ["shmdt"] = 197, ["semget"] = 190, ["semop"] = 193,
            ["semctl"] = 191, ["semtimedop"] = 192, ["msgget"] = 186, ["msgsnd"] = 189, ["msgrcv"] = 188, ["msgctl"] = 187,
            ["prlimit64"] = 261, ["setpriority"] = 140, ["sched_setparam"] = 118, ["sched_setscheduler"] = 119,
            ["sched_setaffinity"] = 122, ["sched_setattr"] = 274, ["ioprio_set"] = 30,
        },
        ForeignAbiBit: null);

    /// <summary>The table of the running process, or null on an architecture nono does not filter.</summary>
    public static SyscallTable? Current => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X86_64,
        Architecture.Arm64 => Aarch64,
        _ => null,
    };

    public uint this[string name] => Numbers[name];
}
