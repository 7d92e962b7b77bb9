using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>The launch spec travels in a memfd: no file on disk, nothing on a command
/// line (visible in ps), and the child reads it with one pread.</summary>
internal static unsafe class SpecChannel
{
    /// <summary>Writes the spec into a new memfd and returns its descriptor. An inheritable one
    /// survives execve (for exec-in-place through unshare); otherwise it is close-on-exec and the
    /// spawner maps it onto the child's descriptor 3.</summary>
    public static int Write(LinuxLaunchSpec spec, bool inheritable)
    {
        var bytes = spec.Encode();
        var fd = Libc.MemfdCreate("nono-launch-spec", inheritable ? 0 : OpenFlags.MfdCloexec);
        if (fd < 0)
        {
            throw new SandboxSetupException("memfd_create for the launch spec", Errno.Last);
        }

        fixed (byte* pointer = bytes)
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                var written = Posix.Write(fd, pointer + offset, (nuint)(bytes.Length - offset));
                if (written < 0 && Errno.Last == Errno.EINTR)
                {
                    continue;
                }

                if (written <= 0)
                {
                    var errno = Errno.Last;
                    Posix.Close(fd);
                    throw new SandboxSetupException("write the launch spec", errno);
                }

                offset += (int)written;
            }
        }

        return fd;
    }

    /// <summary>Reads and closes the spec descriptor: its size first, then the whole spec into one
    /// buffer of that size (no growing copies in the launch path).</summary>
    public static LinuxLaunchSpec Read(int fd)
    {
        const int SeekEnd = 2;
        using var handle = new SafeFd(fd);
        var size = Libc.LSeek(fd, 0, SeekEnd);
        SandboxSetupException.ThrowIfFailed((nint)size, $"read the launch spec from descriptor {fd}");
        if (size > LaunchSpecWire.MaxBytes)
        {
            throw new SandboxSetupException("read the launch spec", "it is larger than 16 MiB");
        }

        var buffer = new byte[size];
        var offset = 0;
        fixed (byte* pointer = buffer)
        {
            while (offset < buffer.Length)
            {
                var read = Libc.PRead(fd, pointer + offset, (nuint)(buffer.Length - offset), offset);
                if (read < 0 && Errno.Last == Errno.EINTR)
                {
                    continue;
                }

                SandboxSetupException.ThrowIfFailed(read, $"read the launch spec from descriptor {fd}");
                if (read == 0)
                {
                    throw new SandboxSetupException("read the launch spec", $"it ended after {offset} of {size} bytes");
                }

                offset += (int)read;
            }
        }

        return LinuxLaunchSpec.Decode(buffer);
    }
}
