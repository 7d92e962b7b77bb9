using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>The terminal job-control calls (process groups and the terminal's foreground group).</summary>
internal static partial class JobControl
{
    private const string Lib = "libc";

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
}
