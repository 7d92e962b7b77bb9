using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
