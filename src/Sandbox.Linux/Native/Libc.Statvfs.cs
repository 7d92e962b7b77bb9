using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>statvfs(3), for the flags of the mount a path is on.</summary>
internal static unsafe partial class Libc
{
    // struct statvfs on 64-bit glibc: nine 8-byte fields, then f_flag.
    private const int StatvfsSize = 112;
    private const int StatvfsFlagOffset = 72;

    [LibraryImport(Lib, EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statvfs(string path, byte* buffer);

    /// <summary>The ST_* flags of the mount <paramref name="path"/> is on, or -1 with errno set.</summary>
    internal static long MountFlags(string path)
    {
        var buffer = stackalloc byte[StatvfsSize];
        return Statvfs(path, buffer) == 0 ? (long)*(ulong*)(buffer + StatvfsFlagOffset) : -1;
    }
}
