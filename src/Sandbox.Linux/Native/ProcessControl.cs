using Nono.Interop;

namespace Nono.Sandbox.Linux.Native;

/// <summary>prctl(2) steps of stage 2.</summary>
internal static class ProcessControl
{
    private const int PrSetPdeathsig = 1;
    private const int PrSetNoNewPrivs = 38;
    private const int SigKill = 9;

    private const int PrSetDumpable = 4;

    /// <summary>Makes this process non-dumpable: processes of the same user without CAP_SYS_PTRACE can
    /// no longer open its memory, descriptors or environment through /proc (execve of the next
    /// program resets it).</summary>
    public static void SetNotDumpable()
    {
        if (Libc.Prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
        {
            throw new SandboxSetupException("prctl(PR_SET_DUMPABLE)", Errno.Last);
        }
    }

    public static void SetNoNewPrivileges()
    {
        if (Libc.Prctl(PrSetNoNewPrivs, 1, 0, 0, 0) != 0)
        {
            throw new SandboxSetupException("prctl(PR_SET_NO_NEW_PRIVS)", Errno.Last);
        }
    }

    /// <summary>Dies with SIGKILL when the parent (thread) dies, and checks the parent did not die first.</summary>
    public static void DieWithParent(int expectedParent)
    {
        if (Libc.Prctl(PrSetPdeathsig, SigKill, 0, 0, 0) != 0)
        {
            throw new SandboxSetupException("prctl(PR_SET_PDEATHSIG)", Errno.Last);
        }

        if (expectedParent > 0 && Posix.GetPpid() != expectedParent)
        {
            throw new SandboxSetupException("PR_SET_PDEATHSIG", "the supervisor exited before the sandbox was ready");
        }
    }
}
