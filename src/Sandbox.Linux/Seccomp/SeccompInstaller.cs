using System.Runtime.InteropServices;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>Loads a filter with seccomp(SECCOMP_SET_MODE_FILTER) on the calling thread.</summary>
internal static unsafe class SeccompInstaller
{
    private const int SetModeFilter = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public BpfInstruction* Filter;
    }

    /// <summary>Installs <paramref name="program"/>. no_new_privs must already be set.</summary>
    public static void Install(SyscallTable table, BpfInstruction[] program)
    {
        fixed (BpfInstruction* filter = program)
        {
            var fprog = new SockFprog { Length = checked((ushort)program.Length), Filter = filter };
            var result = Libc.Syscall((nint)table["seccomp"], SetModeFilter, 0, (nint)(&fprog));
            SandboxSetupException.ThrowIfFailed(result, "seccomp(SECCOMP_SET_MODE_FILTER)");
        }
    }
}
