using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    [LibraryImport(Library, EntryPoint = "execve", SetLastError = true)]
    internal static partial int Execve(byte* path, byte** argv, byte** envp);
}
