using Nono.Sandbox.Linux.Landlock;
using Nono.Sandbox.Linux.Namespaces;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux;

/// <summary>What this kernel and machine offer the sandbox: the Landlock ABI, user namespaces
/// (through util-linux unshare) and a seccomp syscall table for the CPU architecture.</summary>
public sealed record LinuxHost(int LandlockAbi, UserNamespaces UserNamespaces, string? Architecture)
{
    public static LinuxHost Detect() => new(
        LandlockSyscalls.QueryAbi(out _),
        UserNamespaces.Detect(),
        SyscallTable.Current?.Name);
}
