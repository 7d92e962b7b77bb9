using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Nono.Proxy.Credentials;

/// <summary>
/// open(2) for reading with O_NONBLOCK | O_NOCTTY | O_CLOEXEC. .NET's own file APIs open without
/// O_NONBLOCK, so a credential path that names a FIFO or a terminal would hang the supervisor in
/// open() or read(); opened this way they fail at once and can be refused with a message.
/// </summary>
internal static class NonBlockingOpen
{
    private const int LinuxFlags = 0x800 | 0x100 | 0x80000;         // O_NONBLOCK | O_NOCTTY | O_CLOEXEC
    private const int MacFlags = 0x4 | 0x20000 | 0x1000000;        // the same three on Darwin and BSD

    /// <summary>Opens <paramref name="path"/> (following symlinks) or returns the errno.</summary>
    public static SafeFileHandle? TryOpen(string path, out int errno)
    {
        var nulTerminated = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, nulTerminated);
        var fd = Open(nulTerminated, OperatingSystem.IsLinux() ? LinuxFlags : MacFlags);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);
}
