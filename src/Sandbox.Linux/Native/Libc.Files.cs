using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>Removing, locking and changing files relative to an open directory descriptor.</summary>
internal static unsafe partial class Libc
{
    internal const int AtFdCwdValue = -100;     // AT_FDCWD
    internal const int AtRemoveDir = 0x200;     // AT_REMOVEDIR
    internal const int LockShared = 1;          // LOCK_SH
    internal const int LockExclusive = 2;       // LOCK_EX
    internal const int LockNonBlocking = 4;     // LOCK_NB

    [LibraryImport(Lib, EntryPoint = "unlinkat", SetLastError = true)]
    internal static partial int UnlinkAt(int dirFd, byte* name, int flags);

    [LibraryImport(Lib, EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int UnlinkAt(int dirFd, string name, int flags);

    [LibraryImport(Lib, EntryPoint = "openat", SetLastError = true)]
    internal static partial int OpenAt(int dirFd, byte* name, int flags, int mode);

    [LibraryImport(Lib, EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int OpenAt(int dirFd, string name, int flags, int mode);

    [LibraryImport(Lib, EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int MkdirAt(int dirFd, string name, uint mode);

    [LibraryImport(Lib, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    [LibraryImport(Lib, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Lib, EntryPoint = "lseek", SetLastError = true)]
    internal static partial long LSeek(int fd, long offset, int whence);
}
