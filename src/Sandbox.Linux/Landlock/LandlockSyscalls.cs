using System.Runtime.InteropServices;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Landlock;

/// <summary>
/// The three Landlock system calls. Their numbers are the same on x86_64 and AArch64 (the generic
/// table), so no per-architecture lookup is needed.
/// </summary>
internal static unsafe class LandlockSyscalls
{
    private const int CreateRuleset = 444;
    private const int AddRule = 445;
    private const int RestrictSelf = 446;

    private const uint CreateRulesetVersion = 1U << 0;
    private const int RulePathBeneath = 1;
    private const int RuleNetPort = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct RulesetAttr
    {
        public ulong HandledAccessFs;
        public ulong HandledAccessNet;
        public ulong Scoped;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct PathBeneathAttr
    {
        public ulong AllowedAccess;
        public int ParentFd;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NetPortAttr
    {
        public ulong AllowedAccess;
        public ulong Port;
    }

    /// <summary>The highest ABI the running kernel supports; 0 when Landlock is absent or disabled,
    /// with <paramref name="errno"/> saying which (ENOSYS: not built in, EOPNOTSUPP: disabled at boot).</summary>
    public static int QueryAbi(out int errno)
    {
        var result = Libc.Syscall(CreateRuleset, 0, 0, (nint)CreateRulesetVersion);
        errno = result < 0 ? Errno.Last : 0;
        return result < 0 ? 0 : (int)result;
    }

    /// <summary>Creates a ruleset. The attribute size is chosen so an older kernel is never handed
    /// fields it does not know (it would refuse them with E2BIG).</summary>
    public static SafeFd Create(FsRights fs, NetRights net, ScopeRights scoped)
    {
        var attr = new RulesetAttr { HandledAccessFs = (ulong)fs, HandledAccessNet = (ulong)net, Scoped = (ulong)scoped };
        var size = scoped != ScopeRights.None ? 24 : net != NetRights.None ? 16 : 8;
        var fd = Libc.Syscall(CreateRuleset, (nint)(&attr), size, 0);
        SandboxSetupException.ThrowIfFailed(fd, "landlock_create_ruleset");
        return new SafeFd((int)fd);
    }

    public static void AddPathRule(SafeFd ruleset, SafeFd parent, FsRights allowed, string pathForErrors)
    {
        var attr = new PathBeneathAttr { AllowedAccess = (ulong)allowed, ParentFd = parent.Fd };
        var result = Libc.Syscall(AddRule, ruleset.Fd, RulePathBeneath, (nint)(&attr), 0);
        if (result < 0)
        {
            // Described only on failure: a launch adds a rule for every grant (/etc's entries included).
            throw new SandboxSetupException($"landlock_add_rule '{pathForErrors}' ({LandlockRights.Describe(allowed)})", Errno.Last);
        }
    }

    public static void AddPortRule(SafeFd ruleset, ushort port, NetRights allowed)
    {
        var attr = new NetPortAttr { AllowedAccess = (ulong)allowed, Port = port };
        var result = Libc.Syscall(AddRule, ruleset.Fd, RuleNetPort, (nint)(&attr), 0);
        SandboxSetupException.ThrowIfFailed(result, $"landlock_add_rule port {port}");
    }

    /// <summary>Enforces the ruleset on the calling thread (and what it executes). Needs no_new_privs.</summary>
    public static void Restrict(SafeFd ruleset)
    {
        var result = Libc.Syscall(RestrictSelf, ruleset.Fd, 0, 0);
        SandboxSetupException.ThrowIfFailed(result, "landlock_restrict_self");
    }
}
