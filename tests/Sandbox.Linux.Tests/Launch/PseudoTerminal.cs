using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>A fresh pseudo-terminal pair for tests (posix_openpt, as a supervisor's `shell` would).</summary>
internal sealed partial class PseudoTerminal : IDisposable
{
    private const int ORdwr = 2;
    private const int ONoctty = 0x100;
    private const int OCloexec = 0x80000;

    private PseudoTerminal(SafeFileHandle master, string slavePath)
    {
        Master = master;
        SlavePath = slavePath;
    }

    public SafeFileHandle Master { get; }

    public string SlavePath { get; }

    public static PseudoTerminal Open()
    {
        var fd = PosixOpenpt(ORdwr | ONoctty);
        if (fd < 0 || Grantpt(fd) != 0 || Unlockpt(fd) != 0)
        {
            throw new InvalidOperationException($"cannot allocate a pseudo-terminal (errno {Marshal.GetLastPInvokeError()})");
        }

        var name = Marshal.PtrToStringUTF8(Ptsname(fd)) ?? throw new InvalidOperationException("ptsname failed");
        return new PseudoTerminal(new SafeFileHandle(fd, ownsHandle: true), name);
    }

    /// <summary>Opens the replica with O_NOCTTY: a test host that happens to lead its session (started
    /// under setsid) would otherwise take the terminal as its own and be hung up when it closes.</summary>
    public SafeFileHandle OpenReplica()
    {
        var fd = Open(SlavePath, ORdwr | ONoctty | OCloexec);
        return fd >= 0
            ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new InvalidOperationException($"cannot open {SlavePath} (errno {Marshal.GetLastPInvokeError()})");
    }

    public void Dispose() => Master.Dispose();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int Grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int Unlockpt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname", SetLastError = true)]
    private static partial nint Ptsname(int fd);
}
