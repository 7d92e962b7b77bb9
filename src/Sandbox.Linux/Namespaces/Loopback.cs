using System.Buffers.Binary;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>The loopback interface and listening sockets inside the child's network namespace.</summary>
internal static unsafe class Loopback
{
    private const int AfInet = 2;
    private const int SockStream = 1;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoReuseaddr = 2;
    private const nuint SiocGifflags = 0x8913;
    private const nuint SiocSifflags = 0x8914;
    private const short IffUp = 0x1;
    private const int IfreqSize = 40;
    private const int IfreqFlagsOffset = 16;

    /// <summary>A new network namespace starts with `lo` down; nothing on 127.0.0.1 works until it is up.</summary>
    public static void BringUp()
    {
        using var socket = new SafeFd(OpenSocket(SockDgram, "socket for SIOCSIFFLAGS"));
        var request = stackalloc byte[IfreqSize];
        new Span<byte>(request, IfreqSize).Clear();
        "lo"u8.CopyTo(new Span<byte>(request, 16));
        if (Posix.Ioctl(socket.Fd, SiocGifflags, request) != 0)
        {
            throw new SandboxSetupException("ioctl(SIOCGIFFLAGS, lo)", Errno.Last);
        }

        *(short*)(request + IfreqFlagsOffset) |= IffUp;
        if (Posix.Ioctl(socket.Fd, SiocSifflags, request) != 0)
        {
            throw new SandboxSetupException("bring up the loopback interface (ioctl SIOCSIFFLAGS)", Errno.Last);
        }
    }

    /// <summary>A TCP socket listening on 127.0.0.1:<paramref name="port"/>.</summary>
    public static SafeFd Listen(ushort port)
    {
        var fd = new SafeFd(OpenSocket(SockStream, $"socket for 127.0.0.1:{port}"));
        try
        {
            var one = 1;
            if (Libc.SetSockOpt(fd.Fd, SolSocket, SoReuseaddr, &one, sizeof(int)) != 0)
            {
                throw new SandboxSetupException($"setsockopt(SO_REUSEADDR) for port {port}", Errno.Last);
            }

            // struct sockaddr_in: family, port (network order), address (network order), zero padding.
            var address = stackalloc byte[16];
            new Span<byte>(address, 16).Clear();
            *(ushort*)address = AfInet;
            BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(address + 2, 2), port);
            address[4] = 127;
            address[7] = 1;
            if (Libc.Bind(fd.Fd, address, 16) != 0)
            {
                throw new SandboxSetupException($"bind 127.0.0.1:{port} in the sandbox's network namespace", Errno.Last);
            }

            if (Libc.Listen(fd.Fd, 511) != 0)
            {
                throw new SandboxSetupException($"listen on 127.0.0.1:{port}", Errno.Last);
            }

            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    private static int OpenSocket(int type, string step)
    {
        var fd = Libc.Socket(AfInet, type | SockCloexec, 0);
        if (fd < 0)
        {
            throw new SandboxSetupException(step, Errno.Last);
        }

        return fd;
    }
}
