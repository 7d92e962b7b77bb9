using System.Runtime.InteropServices;
using Nono.Interop;

namespace Nono.Supervisor.Terminal;

/// <summary>libc calls for pseudo-terminals and terminal modes (the general POSIX ones, open, read,
/// write, close, ioctl, are <see cref="Posix"/>). errno is read at the boundary.</summary>
internal static partial class TerminalInterop
{
    public const int TcsaNow = 0;               // TCSANOW (the same on Linux and macOS)
    public const int TcsaDrain = 1;             // TCSADRAIN

    /// <summary>Open flags, ioctl numbers and the termios size of this platform.</summary>
    public static TerminalConstants Constants => TerminalConstants.Current;

    [StructLayout(LayoutKind.Sequential)]
    public struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort PixelWidth;
        public ushort PixelHeight;
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int PosixOpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    public static unsafe partial int PtsNameR(int fd, byte* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    public static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    public static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    public static unsafe partial void CfMakeRaw(byte* termios);

    /// <summary>TIOCGWINSZ / TIOCSWINSZ, with the pointer where this platform's ioctl looks for it.</summary>
    public static unsafe int IoctlWindowSize(int fd, ulong request, ref WindowSize size)
    {
        fixed (WindowSize* pointer = &size)
        {
            return TerminalConstants.VariadicArgumentsOnStack
                ? Posix.IoctlStackArgument(fd, request, 0, 0, 0, 0, 0, 0, pointer)
                : Posix.Ioctl(fd, request, pointer);
        }
    }

    public const short PollIn = 0x1;            // POLLIN

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    public static IOException Failure(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
