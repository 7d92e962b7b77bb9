using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    /// <summary>Changes the calling thread's signal mask only (how: 0 block, 1 unblock, 2 set on Linux).
    /// Returns the error number instead of setting errno.</summary>
    [LibraryImport(Library, EntryPoint = "pthread_sigmask")]
    internal static partial int PthreadSigmask(int how, void* set, void* oldSet);
}
