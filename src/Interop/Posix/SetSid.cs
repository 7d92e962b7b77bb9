using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    [LibraryImport(Library, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();
}
