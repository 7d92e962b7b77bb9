namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>
/// The deny-list filter installed immediately before execve. Unknown architectures are killed
/// (a foreign ABI would make every number below mean something else); listed calls fail with
/// EPERM so programs that probe for a feature fall back instead of dying; clone3 fails with
/// ENOSYS because its flags live in memory a filter cannot read, and libc then falls back to clone.
/// </summary>
internal static partial class SeccompProgram
{
    public const uint RetKillProcess = 0x80000000;
    public const uint RetAllow = 0x7fff0000;
    public const uint RetErrno = 0x00050000;

    public const uint AfUnix = 1;
    public const uint AfInet = 2;
    public const uint AfInet6 = 10;
    public const uint SockStream = 1;
    public const uint SockTypeMask = 0xf;
    public const uint IpProtoTcp = 6;
    public const uint CloneNewUser = 0x10000000;
    public const uint Tiocsti = 0x5412;
    public const uint Tioclinux = 0x541C;
    public const uint Tiocspgrp = 0x5410;
    public const uint SockDgram = 2;
    public const uint SockSeqpacket = 5;

    private const int Eperm = 1;
    private const int Enosys = 38;

    // struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
    private const uint NrOffset = 0;
    private const uint ArchOffset = 4;

    /// <summary>Calls refused outright, whatever their arguments.</summary>
    public static IReadOnlyList<string> DeniedSyscalls { get; } =
    [
        "ptrace", "process_vm_readv", "process_vm_writev", "bpf", "perf_event_open", "userfaultfd",
        "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load",
        "init_module", "finit_module", "delete_module",
        "io_uring_setup", "io_uring_enter", "io_uring_register",
        "mount", "umount2", "pivot_root", "setns", "open_tree", "move_mount", "fsopen", "fsconfig",
        "fsmount", "fspick", "mount_setattr", "open_by_handle_at",
    ];

    /// <summary>Low 32 bits of syscall argument <paramref name="index"/> (little-endian layout).
    /// The calls inspected here take int or unsigned int arguments, which the kernel truncates to
    /// 32 bits, so the high half cannot be used to slip past the check.</summary>
    public static uint ArgLow(int index) => 16 + (8 * (uint)index);

    public static BpfInstruction[] Build(SyscallTable table, SocketRule sockets, bool allowUnixSockets = false, HostGuards guards = HostGuards.None)
    {
        var asm = new BpfAssembler();
        asm.Load(ArchOffset)
            .JumpIfEqual(table.AuditArch, "arch_ok")
            .Return(RetKillProcess)
            .Label("arch_ok")
            .Load(NrOffset);

        if (table.ForeignAbiBit is { } foreign)
        {
            asm.JumpIfGreaterOrEqual(foreign, "kill");
        }

        foreach (var name in DeniedSyscalls)
        {
            asm.JumpIfEqual(table[name], "eperm");
        }

        EmitGuardDispatch(asm, table, guards);
        asm.JumpIfEqual(table["ioctl"], "ioctl")
            .JumpIfEqual(table["socket"], "socket")
            .JumpIfEqual(table["socketpair"], "socketpair")
            .JumpIfEqual(table["unshare"], "namespace")
            .JumpIfEqual(table["clone"], "namespace")
            .JumpIfEqual(table["clone3"], "enosys")
            .Return(RetAllow);

        asm.Label("ioctl")
            .Load(ArgLow(1))
            .JumpIfEqual(Tiocsti, "eperm")
            .JumpIfEqual(Tioclinux, "eperm")
            .JumpIfEqual(Tiocspgrp, guards.HasFlag(HostGuards.TerminalForeground) ? "eperm" : "allow")
            .Return(RetAllow);

        asm.Label("namespace")
            .Load(ArgLow(0))
            .JumpIfAnySet(CloneNewUser, "eperm")
            .Return(RetAllow);

        // A stream or seqpacket socketpair(2) is connected for good and has no name: harmless, and
        // needed by runtimes for their own plumbing. A datagram one is not: sendto() and connect()
        // can still aim it at any named socket (/dev/log, notify sockets, any listener), and seccomp
        // cannot see the address. socket(AF_UNIX) is what reaches a host service by path (Landlock
        // has no right for that). Both are refused unless the policy allows unix sockets.
        asm.Label("socketpair")
            .Load(ArgLow(0))
            .JumpIfEqual(AfUnix, allowUnixSockets ? "allow" : "pair_type")
            .Return(Errno(Eperm))
            .Label("pair_type")
            .Load(ArgLow(1))
            .And(SockTypeMask)
            .JumpIfEqual(SockStream, "allow")
            .JumpIfEqual(SockSeqpacket, "allow")
            .Return(Errno(Eperm));

        asm.Label("socket")
            .Load(ArgLow(0))
            .JumpIfEqual(AfUnix, allowUnixSockets ? "allow" : "eperm");
        switch (sockets)
        {
            case SocketRule.UnixAndInet:
                asm.JumpIfEqual(AfInet, "allow").JumpIfEqual(AfInet6, "allow").Return(Errno(Eperm));
                break;
            case SocketRule.UnixAndInetTcpOnly:
                asm.JumpIfEqual(AfInet, "stream").JumpIfEqual(AfInet6, "stream").Return(Errno(Eperm))
                    .Label("stream")
                    .Load(ArgLow(1))
                    .And(SockTypeMask)
                    .JumpIfEqual(SockStream, null, "eperm")
                    .Load(ArgLow(2))
                    .JumpIfEqual(0, "allow")
                    .JumpIfEqual(IpProtoTcp, "allow")
                    .Return(Errno(Eperm));
                break;
            default:
                asm.Return(Errno(Eperm));
                break;
        }

        EmitGuardRules(asm, guards);
        asm.Label("allow").Return(RetAllow)
            .Label("eperm").Return(Errno(Eperm))
            .Label("enosys").Return(Errno(Enosys))
            .Label("kill").Return(RetKillProcess);
        return asm.Build();
    }

    public static uint Errno(int errno) => RetErrno | ((uint)errno & 0xffff);
}
