using System.Runtime.InteropServices;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>The last steps before a program image is replaced.</summary>
internal static unsafe class Exec
{
    private const int SigPipe = 13;
    private const int SigSetMask = 2;
    private const uint CloseRangeCloexec = 1U << 2;
    private const int CloseRangeSyscall = 436; // same number on x86_64 and AArch64

    /// <summary>Marks every descriptor from 3 up close-on-exec. Closing them outright is not safe
    /// while the runtime's own threads may still use theirs; execve closes them atomically.</summary>
    public static void CloseInheritedDescriptors()
    {
        if (Libc.Syscall(CloseRangeSyscall, 3, unchecked((nint)uint.MaxValue), (nint)CloseRangeCloexec) == 0)
        {
            return;
        }

        // Kernels before 5.11 lack CLOSE_RANGE_CLOEXEC: mark each open descriptor instead.
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2)
            {
                var flags = Libc.Fcntl(fd, OpenFlags.FGetFd, 0);
                if (flags >= 0)
                {
                    Libc.Fcntl(fd, OpenFlags.FSetFd, flags | OpenFlags.FdCloExec);
                }
            }
        }
    }

    /// <summary>Replaces this process with <paramref name="path"/>. Returns only by throwing.
    /// The runtime ignores SIGPIPE, and an ignored disposition survives execve; the target must
    /// get the default back, or `yes | head` would never end.</summary>
    public static void Execve(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        using var nativeArgv = new NativeStrings(argv);
        using var nativeEnv = new NativeStrings(environment);
        var nativePath = NativeStrings.Allocate(path);
        try
        {
            var empty = stackalloc byte[128];
            Posix.SigEmptySet(empty);
            Posix.Signal(SigPipe, 0); // SIG_DFL
            Posix.PthreadSigmask(SigSetMask, empty, null);
            Posix.Execve(nativePath, nativeArgv.Pointer, nativeEnv.Pointer);
            var errno = Errno.Last;
            Posix.Signal(SigPipe, 1); // back to SIG_IGN for the runtime
            throw LaunchExitStatus.IsCannotExecuteErrno(errno)
                ? new TargetExecException($"cannot execute '{path}': {Errno.Describe(errno)}", errno)
                : new SandboxSetupException($"execve '{path}'", errno);
        }
        finally
        {
            NativeMemory.Free(nativePath);
        }
    }
}
