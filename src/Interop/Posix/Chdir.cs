using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    [LibraryImport(Library, EntryPoint = "chdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Chdir(string path);
}
