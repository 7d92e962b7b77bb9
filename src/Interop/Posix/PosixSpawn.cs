using System.Runtime.InteropServices;

namespace Nono.Interop;

/// <summary>
/// posix_spawn and its file actions and attributes. posix_spawn_file_actions_t and posix_spawnattr_t
/// are structures the caller allocates on Linux and pointers that init allocates on macOS: both fit
/// in the zeroed <see cref="SpawnObjectBytes"/> the caller passes. Every function here returns the
/// error number instead of setting errno.
/// </summary>
internal static unsafe partial class Posix
{
    private const string DarwinLibrary = "/usr/lib/libSystem.dylib";

    /// <summary>Larger than glibc's, musl's and Darwin's spawn structures.</summary>
    internal const int SpawnObjectBytes = 1024;

    /// <summary>posix_spawnattr flags; the same values in glibc, musl and Darwin.</summary>
    internal const short SpawnSetProcessGroup = 0x02;
    internal const short SpawnSetSignalDefault = 0x04;
    internal const short SpawnSetSignalMask = 0x08;

    /// <summary>Darwin's POSIX_SPAWN_CLOEXEC_DEFAULT: every descriptor no file action names is closed in the child.</summary>
    internal const short SpawnCloseOnExecDefault = 0x4000;

    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int PosixSpawnFileActionsInit(void* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int PosixSpawnFileActionsDestroy(void* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int PosixSpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    /// <summary>Darwin only: keeps <paramref name="fd"/> open in the child under POSIX_SPAWN_CLOEXEC_DEFAULT.
    /// Bound to libSystem by path in every copy: nono links "libc" at build time on Linux, where
    /// this function does not exist, and this binding is left to resolve on first use (macOS only).</summary>
    [LibraryImport(DarwinLibrary, EntryPoint = "posix_spawn_file_actions_addinherit_np")]
    internal static partial int PosixSpawnFileActionsAddInherit(void* fileActions, int fd);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_init")]
    internal static partial int PosixSpawnAttrInit(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int PosixSpawnAttrDestroy(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int PosixSpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int PosixSpawnAttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int PosixSpawnAttrSetSigMask(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setpgroup")]
    internal static partial int PosixSpawnAttrSetPgroup(void* attributes, int processGroup);
}
