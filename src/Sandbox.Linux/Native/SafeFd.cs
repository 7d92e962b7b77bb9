using Microsoft.Win32.SafeHandles;
using Nono.Interop;

namespace Nono.Sandbox.Linux.Native;

/// <summary>An owned file descriptor, closed exactly once.</summary>
internal sealed class SafeFd : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeFd()
        : base(ownsHandle: true)
    {
    }

    public SafeFd(int fd, bool ownsHandle = true)
        : base(ownsHandle)
    {
        SetHandle(fd);
    }

    public int Fd => (int)DangerousGetHandle();

    /// <summary>Opens <paramref name="path"/> or throws <see cref="SandboxSetupException"/> naming the step.</summary>
    public static SafeFd Open(string path, int flags, string step)
    {
        var fd = Posix.Open(path, flags, 0);
        if (fd < 0)
        {
            throw new SandboxSetupException($"{step} '{path}'", Errno.Last);
        }

        return new SafeFd(fd);
    }

    protected override bool ReleaseHandle() => Posix.Close((int)handle) == 0;
}
