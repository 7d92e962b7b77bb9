namespace Nono.Sandbox.Linux.Native;

/// <summary>
/// The st_mode of a path (type and permission bits), read with statx so that no per-architecture
/// struct stat is needed and a symbolic link can be examined itself rather than what it leads to.
/// </summary>
internal static unsafe class StatMode
{
    public const int TypeMask = 0xF000;       // S_IFMT
    public const int Directory = 0x4000;      // S_IFDIR
    public const int SymbolicLink = 0xA000;   // S_IFLNK
    public const int OtherRead = 0x4;         // S_IROTH
    public const int OtherExecute = 0x1;      // S_IXOTH

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeAndMode = 0x1 | 0x2;   // STATX_TYPE | STATX_MODE
    private const int ModeOffset = 28;                 // stx_mode (u16) in struct statx

    /// <summary>The mode of <paramref name="path"/>, or null when it does not exist or cannot be examined.</summary>
    public static int? Of(string path, bool followLinks)
    {
        var buffer = stackalloc byte[256];
        if (Libc.Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxTypeAndMode, buffer) != 0)
        {
            return null;
        }

        return *(ushort*)(buffer + ModeOffset);
    }

    /// <summary>The mode of <paramref name="name"/> (NUL-terminated) in the directory open on
    /// <paramref name="dirFd"/>, a link not followed; null when it cannot be examined.</summary>
    public static int? Of(int dirFd, byte* name)
    {
        var buffer = stackalloc byte[256];
        if (Libc.Statx(dirFd, name, AtSymlinkNoFollow, StatxTypeAndMode, buffer) != 0)
        {
            return null;
        }

        return *(ushort*)(buffer + ModeOffset);
    }

    /// <summary>The owner's uid of the file open on <paramref name="fd"/>, or null when it cannot be examined.</summary>
    public static uint? OwnerOf(int fd)
    {
        const int AtEmptyPath = 0x1000;
        const uint StatxUid = 0x8;
        const int UidOffset = 20;   // stx_uid (u32) in struct statx
        var buffer = stackalloc byte[256];
        byte empty = 0;
        if (Libc.Statx(fd, &empty, AtEmptyPath, StatxUid, buffer) != 0)
        {
            return null;
        }

        return *(uint*)(buffer + UidOffset);
    }

    public static bool IsDirectory(int mode) => (mode & TypeMask) == Directory;

    public static bool IsSymbolicLink(int mode) => (mode & TypeMask) == SymbolicLink;
}
