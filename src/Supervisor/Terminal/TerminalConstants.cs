using System.Runtime.InteropServices;

namespace Nono.Supervisor.Terminal;

/// <summary>
/// The numbers the PTY code passes to libc, per platform: open flags, ioctl requests and the size of
/// struct termios differ between Linux and macOS (BSD), and a wrong one fails quietly or corrupts
/// memory rather than raising an error, so they live in one table that tests check.
/// </summary>
/// <param name="Platform">"linux" or "macos".</param>
/// <param name="OpenReadWrite">O_RDWR.</param>
/// <param name="NoControllingTty">O_NOCTTY.</param>
/// <param name="CloseOnExec">O_CLOEXEC.</param>
/// <param name="OpenPtAcceptsCloseOnExec">Whether posix_openpt takes O_CLOEXEC; where it may not
/// (macOS documents only O_RDWR and O_NOCTTY), the flag is set with ioctl(FIOCLEX) right after.</param>
/// <param name="FioClex">FIOCLEX: mark a descriptor close-on-exec (an ioctl without argument).</param>
/// <param name="GetWindowSize">TIOCGWINSZ.</param>
/// <param name="SetWindowSize">TIOCSWINSZ.</param>
/// <param name="TermiosBytes">sizeof(struct termios): glibc 60 (tcflag_t is 32-bit, NCCS 32, two
/// speeds); macOS 72 (tcflag_t is unsigned long, NCCS 20, 4 bytes of padding, speed_t unsigned long).</param>
/// <param name="TermiosBuffer">The opaque buffer the mode is kept in: the size with room to spare.</param>
internal sealed record TerminalConstants(
    string Platform,
    int OpenReadWrite,
    int NoControllingTty,
    int CloseOnExec,
    bool OpenPtAcceptsCloseOnExec,
    ulong FioClex,
    ulong GetWindowSize,
    ulong SetWindowSize,
    int TermiosBytes,
    int TermiosBuffer)
{
    // ioctl request numbers are the same on x86_64 and aarch64 Linux.
    public static TerminalConstants Linux { get; } = new(
        "linux", OpenReadWrite: 0x2, NoControllingTty: 0x100, CloseOnExec: 0x80000, OpenPtAcceptsCloseOnExec: true,
        FioClex: 0x5451, GetWindowSize: 0x5413, SetWindowSize: 0x5414, TermiosBytes: 60, TermiosBuffer: 64);

    // BSD ioctl encoding: _IO('f', 1), _IOR('t', 104, struct winsize), _IOW('t', 103, struct winsize).
    public static TerminalConstants MacOS { get; } = new(
        "macos", OpenReadWrite: 0x2, NoControllingTty: 0x20000, CloseOnExec: 0x1000000, OpenPtAcceptsCloseOnExec: false,
        FioClex: 0x20006601, GetWindowSize: 0x40087468, SetWindowSize: 0x80087467, TermiosBytes: 72, TermiosBuffer: 80);

    public static TerminalConstants Current { get; } = OperatingSystem.IsMacOS() ? MacOS : Linux;

    /// <summary>On Apple silicon a variadic argument (ioctl's third) is passed on the stack, not in
    /// a register, so a plain three-argument declaration would hand ioctl garbage.</summary>
    public static bool VariadicArgumentsOnStack { get; } =
        OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>The flags for posix_openpt: read-write, never the caller's controlling terminal,
    /// close-on-exec where posix_openpt accepts it.</summary>
    public int OpenPtFlags => OpenReadWrite | NoControllingTty | (OpenPtAcceptsCloseOnExec ? CloseOnExec : 0);

    /// <summary>The flags for opening the replica by path.</summary>
    public int ReplicaOpenFlags => OpenReadWrite | NoControllingTty | CloseOnExec;
}
