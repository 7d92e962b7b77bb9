using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, int* status, int options);
}
