using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Seccomp;

public sealed class HostGuardsTests
{
    private const uint Eperm = SeccompProgram.RetErrno | 1;
    private const ulong Pointer = 0x7ffd_1234_5678;

    public static TheoryData<string> Tables => new() { "x86_64", "aarch64" };

    private static SyscallTable Table(string name) => name == "x86_64" ? SyscallTable.X86_64 : SyscallTable.Aarch64;

    private static uint Decide(string arch, HostGuards guards, string syscall, params ulong[] args)
    {
        var table = Table(arch);
        return BpfInterpreter.Evaluate(SeccompProgram.Build(table, SocketRule.UnixAndInet, guards: guards), table.AuditArch, table[syscall], args);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void SysV_ipc_is_refused_only_without_an_ipc_namespace(string arch)
    {
        foreach (var name in SeccompProgram.SysVIpcSyscalls)
        {
            Assert.True(Decide(arch, HostGuards.SysVIpc, name, 1234) == Eperm, name);
            Assert.True(Decide(arch, HostGuards.None, name, 1234) == SeccompProgram.RetAllow, name);
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Calls_aimed_at_another_pid_are_refused_and_the_callers_own_are_not(string arch)
    {
        const HostGuards Guards = HostGuards.OtherProcesses;
        Assert.Equal(Eperm, Decide(arch, Guards, "prlimit64", 4242, 0, Pointer, 0));
        Assert.Equal(Eperm, Decide(arch, Guards, "prlimit64", 4242, 0, Pointer << 32, 0));
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, Guards, "prlimit64", 4242, 0, 0, Pointer));
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, Guards, "prlimit64", 0, 0, Pointer, 0));

        Assert.Equal(Eperm, Decide(arch, Guards, "setpriority", 0, 4242, 10));
        Assert.Equal(Eperm, Decide(arch, Guards, "setpriority", 1 /* PRIO_PGRP */, 0, 10));
        Assert.Equal(Eperm, Decide(arch, Guards, "setpriority", 2 /* PRIO_USER */, 0, 10));
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, Guards, "setpriority", 0, 0, 10));

        Assert.Equal(Eperm, Decide(arch, Guards, "ioprio_set", 1, 4242, 0));
        Assert.Equal(Eperm, Decide(arch, Guards, "ioprio_set", 3 /* IOPRIO_WHO_USER */, 0, 0));
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, Guards, "ioprio_set", 1, 0, 0));

        foreach (var name in SeccompProgram.PidFirstSyscalls)
        {
            Assert.True(Decide(arch, Guards, name, 4242) == Eperm, name);
            Assert.True(Decide(arch, Guards, name, 0) == SeccompProgram.RetAllow, name);
            Assert.True(Decide(arch, HostGuards.None, name, 4242) == SeccompProgram.RetAllow, name);
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Taking_the_terminals_foreground_is_refused_only_on_a_shared_terminal(string arch)
    {
        Assert.Equal(Eperm, Decide(arch, HostGuards.TerminalForeground, "ioctl", 0, SeccompProgram.Tiocspgrp));
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, HostGuards.None, "ioctl", 0, SeccompProgram.Tiocspgrp));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Only_stream_and_seqpacket_socketpairs_are_allowed_without_unix_sockets(string arch)
    {
        const ulong Cloexec = 0x80000;
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, HostGuards.None, "socketpair", SeccompProgram.AfUnix, SeccompProgram.SockStream | Cloexec));
        Assert.Equal(SeccompProgram.RetAllow, Decide(arch, HostGuards.None, "socketpair", SeccompProgram.AfUnix, SeccompProgram.SockSeqpacket));
        Assert.Equal(Eperm, Decide(arch, HostGuards.None, "socketpair", SeccompProgram.AfUnix, SeccompProgram.SockDgram | Cloexec));
        var table = Table(arch);
        var permissive = SeccompProgram.Build(table, SocketRule.UnixAndInet, allowUnixSockets: true);
        Assert.Equal(SeccompProgram.RetAllow, BpfInterpreter.Evaluate(permissive, table.AuditArch, table["socketpair"], [SeccompProgram.AfUnix, SeccompProgram.SockDgram]));
    }

    [Fact]
    public void Each_namespace_lifts_the_guard_it_makes_unnecessary()
    {
        Assert.Equal(HostGuards.SysVIpc | HostGuards.OtherProcesses | HostGuards.TerminalForeground, LinuxLaunchPlan.GuardsFor(false, false, false));
        Assert.Equal(HostGuards.OtherProcesses | HostGuards.TerminalForeground, LinuxLaunchPlan.GuardsFor(true, false, false));
        Assert.Equal(HostGuards.OtherProcesses, LinuxLaunchPlan.GuardsFor(true, false, ownTerminal: true));
        Assert.Equal(HostGuards.None, LinuxLaunchPlan.GuardsFor(true, true, false));
    }
}
