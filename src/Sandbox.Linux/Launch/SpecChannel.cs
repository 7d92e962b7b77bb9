using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>The launch spec travels in a memfd: no file on disk, nothing on a command
/// line (visible in ps), and the child reads it with one pread. A stage 2 started before its spec
/// exists (<see cref="Stage2Standby"/>) gets the read end of a pipe instead and reads to its end.</summary>
internal static unsafe class SpecChannel
{
    /// <summary>Writes the spec into a new memfd and returns its descriptor. An inheritable one
    /// survives execve (for exec-in-place through unshare); otherwise it is close-on-exec and the
    /// spawner maps it onto the child's descriptor 3.</summary>
    public static int Write(LinuxLaunchSpec spec, bool inheritable)
    {
        var fd = Libc.MemfdCreate("nono-launch-spec", inheritable ? 0 : OpenFlags.MfdCloexec);
        if (fd < 0)
        {
            throw new SandboxSetupException("memfd_create for the launch spec", Errno.Last);
        }

        if (WriteAll(fd, spec.Encode()) is var errno and not 0)
        {
            Posix.Close(fd);
            throw new SandboxSetupException("write the launch spec", errno);
        }

        return fd;
    }

    /// <summary>Writes the spec into the pipe <paramref name="fd"/> (which the caller closes after):
    /// 0, or the errno of the failure (EPIPE: the reader is gone).</summary>
    public static int WriteToPipe(int fd, LinuxLaunchSpec spec) => WriteAll(fd, spec.Encode());

    private static int WriteAll(int fd, byte[] bytes)
    {
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
                    return written < 0 ? Errno.Last : Errno.EPIPE;
                }

                offset += (int)written;
            }
        }

        return 0;
    }

    /// <summary>Reads and closes the spec descriptor: its size first, then the whole spec into one
    /// buffer of that size (no growing copies in the launch path). From a pipe, the spec is what
    /// arrives before its end; null when nothing did (the supervisor went on without this stage 2).</summary>
    public static LinuxLaunchSpec? Read(int fd)
    {
        const int SeekEnd = 2;
        using var handle = new SafeFd(fd);
        var size = Libc.LSeek(fd, 0, SeekEnd);
        if (size < 0 && Errno.Last == Errno.ESPIPE)
        {
            return ReadPipe(fd) is { Length: > 0 } piped ? LinuxLaunchSpec.Decode(piped) : null;
        }

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

    private static byte[] ReadPipe(int fd)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                // One byte beyond the limit is room enough to tell a spec of exactly the limit (the
                // pipe ends there) from a larger one, which the memfd path refuses as well.
                if (length > LaunchSpecWire.MaxBytes)
                {
                    throw new SandboxSetupException("read the launch spec", "it is larger than 16 MiB");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, LaunchSpecWire.MaxBytes + 1));
            }

            nint read;
            fixed (byte* pointer = buffer)
            {
                read = Posix.Read(fd, pointer + length, (nuint)(buffer.Length - length));
            }

            if (read < 0 && Errno.Last == Errno.EINTR)
            {
                continue;
            }

            SandboxSetupException.ThrowIfFailed(read, $"read the launch spec from descriptor {fd}");
            if (read == 0)
            {
                return buffer[..length];
            }

            length += (int)read;
        }
    }
}
