using System.Runtime.InteropServices;
using Nono.Interop;

namespace Nono.Proxy.Upstream;

/// <summary>Linux splice(2) and the pipe it needs, for moving tunnel bytes without copying them through user space.</summary>
internal static partial class SpliceInterop
{
    public const uint Move = 1;
    public const uint NonBlock = 2;
    public const int EAgain = 11;
    private const int FSetPipeSize = 1031;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    public static int Close(int fd) => Posix.Close(fd);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>A non-blocking pipe of about <paramref name="size"/> bytes, or false when none can be made.</summary>
    public static unsafe bool TryCreatePipe(int size, out int readFd, out int writeFd)
    {
        readFd = writeFd = -1;
        if (!OperatingSystem.IsLinux())
            return false;
        var fds = stackalloc int[2];
        if (Pipe2(fds, ONonBlock | OCloExec) != 0)
            return false;
        readFd = fds[0];
        writeFd = fds[1];

        // A bigger pipe moves more per call; failing to grow it is harmless.
        _ = Fcntl(writeFd, FSetPipeSize, size);
        return true;
    }
}
