namespace Nono.Sandbox.Linux.Native;

/// <summary>What an open descriptor refers to, read with statx so no per-architecture struct stat is needed.</summary>
internal static unsafe class FileKind
{
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;     // stx_mode (u16) in struct statx
    private const int TypeMask = 0xF000;   // S_IFMT
    private const int Directory = 0x4000;  // S_IFDIR

    public static bool IsDirectory(SafeFd fd, string pathForErrors)
    {
        var buffer = stackalloc byte[256];
        if (Libc.Statx(fd.Fd, string.Empty, AtEmptyPath, StatxType, buffer) != 0)
        {
            throw new SandboxSetupException($"statx '{pathForErrors}'", Errno.Last);
        }

        var mode = *(ushort*)(buffer + ModeOffset);
        return (mode & TypeMask) == Directory;
    }
}
