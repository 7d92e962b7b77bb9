using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Nono.Sandbox.MacOS.Native;

/// <summary>The libSystem calls that replace the process image once Seatbelt is applied.</summary>
[SupportedOSPlatform("macos")]
internal static unsafe partial class ExecInterop
{
    private const string LibSystem = "/usr/lib/libSystem.dylib";

    public const int SigPipe = 13;
    public const int SigSetMask = 3; // SIG_SETMASK on Darwin
    public const nint SigDefault = 0;
    public const nint SigIgnore = 1;

    [LibraryImport(LibSystem, EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(LibSystem, EntryPoint = "signal")]
    public static partial nint Signal(int signal, nint handler);

    /// <summary>Darwin's sigset_t is a 32-bit mask; an all-zero mask unblocks every signal.</summary>
    [LibraryImport(LibSystem, EntryPoint = "sigprocmask", SetLastError = true)]
    public static partial int SigProcMask(int how, uint* set, uint* oldSet);
}
