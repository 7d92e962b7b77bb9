using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    /// <summary>signal(2) with a handler of SIG_DFL (0) or SIG_IGN (1): never a managed function.</summary>
    [LibraryImport(Library, EntryPoint = "signal", SetLastError = true)]
    internal static partial nint Signal(int signal, nint handler);
}
