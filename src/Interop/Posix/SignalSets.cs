using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    /// <summary>The size of a buffer that holds any supported sigset_t: glibc and musl use 128 bytes,
    /// Darwin 4. The functions below fill only what the platform's sigset_t occupies.</summary>
    internal const int SignalSetBytes = 128;

    [LibraryImport(Library, EntryPoint = "sigemptyset", SetLastError = true)]
    internal static partial int SigEmptySet(void* set);

    [LibraryImport(Library, EntryPoint = "sigfillset", SetLastError = true)]
    internal static partial int SigFillSet(void* set);

    [LibraryImport(Library, EntryPoint = "sigaddset", SetLastError = true)]
    internal static partial int SigAddSet(void* set, int signal);
}
