using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Seccomp;

public sealed class SeccompProgramTests
{
    private const uint Eperm = SeccompProgram.RetErrno | 1;
    private const uint Enosys = SeccompProgram.RetErrno | 38;

    public static TheoryData<string> Tables => new() { "x86_64", "aarch64" };

    private static SyscallTable Table(string name) => name == "x86_64" ? SyscallTable.X86_64 : SyscallTable.Aarch64;

    private static uint Decide(SyscallTable table, SocketRule rule, string syscall, params ulong[] args) =>
        BpfInterpreter.Evaluate(SeccompProgram.Build(table, rule), table.AuditArch, table[syscall], args);

    private static uint DecideWithUnixSockets(SyscallTable table, SocketRule rule, string syscall, params ulong[] args) =>
        BpfInterpreter.Evaluate(SeccompProgram.Build(table, rule, allowUnixSockets: true), table.AuditArch, table[syscall], args);

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_denied_syscall_returns_EPERM(string arch)
    {
        var table = Table(arch);
        foreach (var name in SeccompProgram.DeniedSyscalls)
        {
            Assert.True(Decide(table, SocketRule.UnixAndInet, name) == Eperm, $"{name} on {arch}");
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Ordinary_syscalls_are_allowed(string arch)
    {
        var table = Table(arch);
        var program = SeccompProgram.Build(table, SocketRule.UnixOnly);
        foreach (var nr in new uint[] { 0, 1, 2, 3, 59, 63, 64, 221, 260 })
        {
            if (!table.Numbers.Values.Contains(nr))
            {
                Assert.Equal(SeccompProgram.RetAllow, BpfInterpreter.Evaluate(program, table.AuditArch, nr));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Foreign_architecture_is_killed(string arch)
    {
        var table = Table(arch);
        var program = SeccompProgram.Build(table, SocketRule.UnixAndInet);
        Assert.Equal(SeccompProgram.RetKillProcess, BpfInterpreter.Evaluate(program, 0x40000003 /* AUDIT_ARCH_I386 */, 0));
        var other = table == SyscallTable.X86_64 ? SyscallTable.Aarch64 : SyscallTable.X86_64;
        Assert.Equal(SeccompProgram.RetKillProcess, BpfInterpreter.Evaluate(program, other.AuditArch, 0));
    }

    [Fact]
    public void X32_system_calls_are_killed()
    {
        var program = SeccompProgram.Build(SyscallTable.X86_64, SocketRule.UnixAndInet);
        Assert.Equal(SeccompProgram.RetKillProcess, BpfInterpreter.Evaluate(program, SyscallTable.X86_64.AuditArch, 0x40000000 | 101));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Terminal_injection_ioctls_are_refused_other_ioctls_allowed(string arch)
    {
        var table = Table(arch);
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "ioctl", 0, SeccompProgram.Tiocsti));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "ioctl", 0, SeccompProgram.Tioclinux));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "ioctl", 0, 0xFFFFFFFF00000000UL | SeccompProgram.Tiocsti));
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInet, "ioctl", 0, 0x5401 /* TCGETS */));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void New_user_namespaces_are_refused_and_clone3_reports_ENOSYS(string arch)
    {
        var table = Table(arch);
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "unshare", SeccompProgram.CloneNewUser));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "clone", SeccompProgram.CloneNewUser | 0x11 /* SIGCHLD */));
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInet, "clone", 0x003D0F00 /* a thread */));
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInet, "unshare", 0x00020000 /* CLONE_NEWNS */));
        Assert.Equal(Enosys, Decide(table, SocketRule.UnixAndInet, "clone3"));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Blocked_mode_allows_only_unix_socket_pairs(string arch)
    {
        var table = Table(arch);
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixOnly, "socketpair", SeccompProgram.AfUnix, 1));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixOnly, "socket", SeccompProgram.AfUnix, 1));
        Assert.Equal(SeccompProgram.RetAllow, DecideWithUnixSockets(table, SocketRule.UnixOnly, "socket", SeccompProgram.AfUnix, 1));
        Assert.Equal(Eperm, DecideWithUnixSockets(table, SocketRule.UnixOnly, "socket", SeccompProgram.AfInet, 1));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixOnly, "socket", SeccompProgram.AfInet, 1));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixOnly, "socket", SeccompProgram.AfInet6, 2));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixOnly, "socketpair", SeccompProgram.AfInet, 1));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixOnly, "socket", 16 /* AF_NETLINK */, 3));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Host_mode_allows_inet_but_not_netlink_or_packet(string arch)
    {
        var table = Table(arch);
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInet, "socket", SeccompProgram.AfInet, 2));
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInet, "socket", SeccompProgram.AfInet6, 1));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "socket", 16 /* AF_NETLINK */, 3));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInet, "socket", 17 /* AF_PACKET */, 3));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Proxy_fallback_allows_only_tcp_streams(string arch)
    {
        var table = Table(arch);
        const ulong StreamNonblockCloexec = 1 | 0x800 | 0x80000;
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfInet, StreamNonblockCloexec, 0));
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfInet6, 1, 6));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfInet, 2 /* SOCK_DGRAM */, 0));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfInet, 3 /* SOCK_RAW */, 1));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfInet, 1, 132 /* SCTP */));
        Assert.Equal(Eperm, Decide(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfUnix, 2));
        Assert.Equal(SeccompProgram.RetAllow, DecideWithUnixSockets(table, SocketRule.UnixAndInetTcpOnly, "socket", SeccompProgram.AfUnix, 2));
        Assert.Equal(SeccompProgram.RetAllow, Decide(table, SocketRule.UnixAndInetTcpOnly, "socketpair", SeccompProgram.AfUnix, 1));
    }
}
