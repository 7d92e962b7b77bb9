using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>The terminal job-control calls (process groups and the terminal's foreground group).</summary>
internal static partial class JobControl
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "isatty")]
    internal static partial int IsATty(int fd);

    [LibraryImport(Lib, EntryPoint = "getpgrp")]
    internal static partial int GetPgrp();

    [LibraryImport(Lib, EntryPoint = "tcgetpgrp", SetLastError = true)]
    internal static partial int TcGetPgrp(int fd);

    [LibraryImport(Lib, EntryPoint = "tcsetpgrp", SetLastError = true)]
    internal static partial int TcSetPgrp(int fd, int pgrp);

    [LibraryImport(Lib, EntryPoint = "gettid")]
    internal static partial int GetTid();

    [LibraryImport(Lib, EntryPoint = "tgkill", SetLastError = true)]
    internal static partial int TgKill(int processId, int threadId, int signal);

    [LibraryImport(Lib, EntryPoint = "sigaddset")]
    internal static unsafe partial int SigAddSet(byte* set, int signal);

    /// <summary>Changes the calling thread's signal mask only (how: 0 block, 1 unblock, 2 set).</summary>
    [LibraryImport(Lib, EntryPoint = "pthread_sigmask")]
    internal static unsafe partial int PthreadSigMask(int how, byte* set, byte* old);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setpgroup")]
    internal static unsafe partial int PosixSpawnAttrSetPgroup(void* attributes, int pgroup);
}
