using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Nono.Sandbox.MacOS.Native;

/// <summary>
/// The libSystem calls that start and prepare the stage-2 trampoline on macOS. None of them is
/// variadic as declared here: on Apple silicon a variadic argument travels on the stack, not in a
/// register, so fcntl(F_DUPFD) and friends cannot be declared as plain functions. Close-on-exec is
/// set with ioctl(FIOCLEX), which takes no third argument at all.
/// </summary>
[SupportedOSPlatform("macos")]
internal static unsafe partial class LaunchInterop
{
    private const string LibSystem = "/usr/lib/libSystem.dylib";

    /// <summary>posix_spawnattr flags from &lt;spawn.h&gt;.</summary>
    public const short SpawnSetSigDefault = 0x0004;
    public const short SpawnSetSigMask = 0x0008;

    /// <summary>Apple's extension: every descriptor not named by a file action is closed in the child.</summary>
    public const short SpawnCloexecDefault = 0x4000;

    /// <summary>_IO('f', 1): mark close-on-exec.</summary>
    public const ulong FioClex = 0x20006601;

    /// <summary>_IO('t', 97): make this terminal the caller's controlling terminal.</summary>
    public const ulong TiocSctty = 0x20007461;

    public const int Eintr = 4;
    public const int Epipe = 32;
    public const int Esrch = 3;

    // posix_spawn_file_actions_t and posix_spawnattr_t are pointers on macOS: init allocates.
    [LibraryImport(LibSystem, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(nint* actions);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(nint* actions);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(nint* actions, int source, int target);

    /// <summary>Keeps <paramref name="fd"/> open in the child under POSIX_SPAWN_CLOEXEC_DEFAULT.</summary>
    [LibraryImport(LibSystem, EntryPoint = "posix_spawn_file_actions_addinherit_np")]
    public static partial int FileActionsAddInherit(nint* actions, int fd);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttrInit(nint* attributes);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttrDestroy(nint* attributes);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttrSetFlags(nint* attributes, short flags);

    /// <summary>Darwin's sigset_t is a 32-bit mask.</summary>
    [LibraryImport(LibSystem, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttrSetSigDefault(nint* attributes, uint* signals);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttrSetSigMask(nint* attributes, uint* signals);

    [LibraryImport(LibSystem, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(int* pid, byte* path, nint* actions, nint* attributes, byte** argv, byte** envp);

    [LibraryImport(LibSystem, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(LibSystem, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(LibSystem, EntryPoint = "pipe", SetLastError = true)]
    public static partial int Pipe(int* fds);

    [LibraryImport(LibSystem, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(LibSystem, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(LibSystem, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>ioctl for requests that carry no argument (FIOCLEX, TIOCSCTTY): nothing variadic is passed.</summary>
    [LibraryImport(LibSystem, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlNoArgument(int fd, ulong request);

    [LibraryImport(LibSystem, EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    [LibraryImport(LibSystem, EntryPoint = "getppid")]
    public static partial int GetParentPid();

    [LibraryImport(LibSystem, EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chdir(string path);

    public static int LastError => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
