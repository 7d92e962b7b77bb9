using System.Runtime.Versioning;
using Nono.Interop;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// The macOS channel for the launch spec: a pipe. macOS has no memfd, and an unlinked file would
/// still put the child's environment (session token, phantom keys) on disk; a pipe keeps it in the
/// kernel. The supervisor writes after spawning (a spec may exceed the pipe's buffer, so the child
/// must already be reading) and closes its end; stage 2 reads to end of file.
/// </summary>
[SupportedOSPlatform("macos")]
internal static unsafe class SpecPipe
{
    /// <summary>A new pipe, both ends close-on-exec (the spawner maps the read end onto the child's
    /// descriptor 3 explicitly). macOS has no pipe2, so the flag is set right after creation.</summary>
    public static (int Read, int Write) Create()
    {
        var fds = stackalloc int[2];
        if (LaunchInterop.Pipe(fds) != 0)
        {
            throw new SandboxSetupException("pipe for the launch spec", LaunchInterop.Describe(LaunchInterop.LastError));
        }

        foreach (var fd in new[] { fds[0], fds[1] })
        {
            if (Posix.IoctlNoArgument(fd, LaunchInterop.FioClex) != 0)
            {
                var errno = LaunchInterop.LastError;
                Posix.Close(fds[0]);
                Posix.Close(fds[1]);
                throw new SandboxSetupException("mark the launch spec pipe close-on-exec", LaunchInterop.Describe(errno));
            }
        }

        return (fds[0], fds[1]);
    }

    /// <summary>Writes the whole payload. False when the reader has gone (EPIPE: the child exited
    /// first; the runtime ignores SIGPIPE, so this is an error return, not a signal).</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> payload)
    {
        fixed (byte* pointer = payload)
        {
            var offset = 0;
            while (offset < payload.Length)
            {
                var written = Posix.Write(fd, pointer + offset, (nuint)(payload.Length - offset));
                if (written < 0)
                {
                    var errno = LaunchInterop.LastError;
                    if (errno == LaunchInterop.Eintr)
                    {
                        continue;
                    }

                    if (errno == LaunchInterop.Epipe)
                    {
                        return false;
                    }

                    throw new SandboxSetupException("write the launch spec", LaunchInterop.Describe(errno));
                }

                offset += (int)written;
            }
        }

        return true;
    }

    /// <summary>Reads descriptor <paramref name="fd"/> to end of file, then closes it.</summary>
    public static byte[] ReadAll(int fd)
    {
        try
        {
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            fixed (byte* pointer = chunk)
            {
                while (true)
                {
                    var read = Posix.Read(fd, pointer, (nuint)chunk.Length);
                    if (read < 0)
                    {
                        var errno = LaunchInterop.LastError;
                        if (errno == LaunchInterop.Eintr)
                        {
                            continue;
                        }

                        throw new SandboxSetupException($"read the launch spec from descriptor {fd}", LaunchInterop.Describe(errno));
                    }

                    if (read == 0)
                    {
                        return buffer.ToArray();
                    }

                    buffer.Write(chunk, 0, (int)read);
                    if (buffer.Length > LaunchSpecWire.MaxBytes)
                    {
                        throw new SandboxSetupException("read the launch spec", "it is larger than 16 MiB");
                    }
                }
            }
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
