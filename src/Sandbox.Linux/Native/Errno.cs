using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>errno values the sandbox reacts to, and the message text for any errno.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int ECHILD = 10;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ESPIPE = 29;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;

    /// <summary>The errno of the last LibraryImport call made with SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>The C library's text for <paramref name="errno"/>, with the symbolic number.</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
