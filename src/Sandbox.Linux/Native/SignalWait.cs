using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>Synchronous signal handling: signals kept blocked in every thread and taken one at a
/// time with their siginfo, so a relay can tell a kill(2) from a terminal's keyboard signal.</summary>
internal static unsafe partial class SignalWait
{
    private const string Lib = "libc";

    /// <summary>siginfo_t.si_code of a signal the kernel raised itself (a terminal's Ctrl-C, hang-up).</summary>
    public const int SiKernel = 0x80;

    [LibraryImport(Lib, EntryPoint = "sigwaitinfo", SetLastError = true)]
    internal static partial int SigWaitInfo(byte* set, byte* info);

    [LibraryImport(Lib, EntryPoint = "sigtimedwait", SetLastError = true)]
    internal static partial int SigTimedWait(byte* set, byte* info, TimeSpec* timeout);

    /// <summary>_exit(2): ends the process at once, from any thread, running nothing of the runtime's.</summary>
    [LibraryImport(Lib, EntryPoint = "_exit")]
    internal static partial void ExitNow(int status);

    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>si_code of a siginfo_t filled by <see cref="SigWaitInfo"/> (int si_signo, si_errno, si_code).</summary>
    public static int Code(byte* info) => *(int*)(info + 8);

    /// <summary>si_pid of a signal sent by a process: the sender as seen from the receiver's PID
    /// namespace, 0 when the sender is outside it (after the three ints and the union's alignment).</summary>
    public static int SenderPid(byte* info) => *(int*)(info + 16);
}
