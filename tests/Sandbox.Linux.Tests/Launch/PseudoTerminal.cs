using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>A fresh pseudo-terminal pair for tests (posix_openpt, as a supervisor's `shell` would).</summary>
internal sealed partial class PseudoTerminal : IDisposable
{
    private const int ORdwr = 2;
    private const int ONoctty = 0x100;

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

    public void Dispose() => Master.Dispose();

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int PosixOpenpt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static partial int Grantpt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int Unlockpt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname", SetLastError = true)]
    private static partial nint Ptsname(int fd);
}
