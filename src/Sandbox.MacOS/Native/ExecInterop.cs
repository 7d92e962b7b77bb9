using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Nono.Interop;

namespace Nono.Sandbox.MacOS.Native;

/// <summary>The Darwin specifics of replacing the process image once Seatbelt is applied (execve
/// and signal are <see cref="Posix"/>).</summary>
[SupportedOSPlatform("macos")]
internal static unsafe partial class ExecInterop
{
    public const int SigPipe = 13;
    public const int SigSetMask = 3; // SIG_SETMASK on Darwin
    public const nint SigDefault = 0;
    public const nint SigIgnore = 1;

    /// <summary>Darwin's sigset_t is a 32-bit mask; an all-zero mask unblocks every signal.</summary>
    [LibraryImport(Posix.Library, EntryPoint = "sigprocmask", SetLastError = true)]
    public static partial int SigProcMask(int how, uint* set, uint* oldSet);
}
