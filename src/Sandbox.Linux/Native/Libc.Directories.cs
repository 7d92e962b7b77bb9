using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>Directory reading relative to an open descriptor: walking a tree this way looks each
/// name up once, instead of resolving every full path from the root again.</summary>
internal static unsafe partial class Libc
{
    /// <summary>Offset of d_name in glibc's and musl's struct dirent on 64-bit Linux
    /// (d_ino 8, d_off 8, d_reclen 2, d_type 1).</summary>
    internal const int DirentNameOffset = 19;

    /// <summary>Offset of d_type in the same struct; DT_UNKNOWN (0) where the file system does not fill it.</summary>
    internal const int DirentTypeOffset = 18;

    internal const byte DirentTypeLink = 10;    // DT_LNK

    /// <summary>Takes ownership of <paramref name="fd"/>: <see cref="CloseDir"/> closes it.</summary>
    [LibraryImport(Lib, EntryPoint = "fdopendir", SetLastError = true)]
    internal static partial nint FdOpenDir(int fd);

    /// <summary>The next struct dirent, or null at the end (or on error, with errno set).</summary>
    [LibraryImport(Lib, EntryPoint = "readdir", SetLastError = true)]
    internal static partial byte* ReadDir(nint directory);

    [LibraryImport(Lib, EntryPoint = "closedir", SetLastError = true)]
    internal static partial int CloseDir(nint directory);
}
