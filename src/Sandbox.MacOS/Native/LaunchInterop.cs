using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Nono.Interop;

namespace Nono.Sandbox.MacOS.Native;

/// <summary>
/// The constants and the one Darwin-only call that start and prepare the stage-2 trampoline on
/// macOS; the POSIX calls themselves are <see cref="Posix"/>. None of them is variadic
/// as declared: on Apple silicon a variadic argument travels on the stack, not in a register, so
/// fcntl(F_DUPFD) and friends cannot be declared as plain functions. Close-on-exec is set with
/// ioctl(FIOCLEX), which takes no third argument at all.
/// </summary>
[SupportedOSPlatform("macos")]
internal static unsafe partial class LaunchInterop
{
    /// <summary>_IO('f', 1): mark close-on-exec.</summary>
    public const ulong FioClex = 0x20006601;

    /// <summary>_IO('t', 97): make this terminal the caller's controlling terminal.</summary>
    public const ulong TiocSctty = 0x20007461;

    public const int Eintr = 4;
    public const int Epipe = 32;
    public const int Esrch = 3;

    [LibraryImport(Posix.Library, EntryPoint = "pipe", SetLastError = true)]
    public static partial int Pipe(int* fds);

    public static int LastError => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
