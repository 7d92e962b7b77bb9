namespace Nono.Sandbox.Linux.Native;

/// <summary>Passing file descriptors over a unix socket with SCM_RIGHTS (64-bit cmsghdr layout).</summary>
internal static unsafe class FdPassing
{
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int CmsgHeader = 16; // size_t len; int level; int type

    /// <summary>Sends <paramref name="payload"/> (at least one byte) with <paramref name="fds"/> attached.</summary>
    public static void Send(int socket, ReadOnlySpan<byte> payload, ReadOnlySpan<int> fds)
    {
        if (payload.IsEmpty)
        {
            throw new ArgumentException("SCM_RIGHTS needs at least one byte of payload.", nameof(payload));
        }

        var dataLength = fds.Length * sizeof(int);
        var space = CmsgHeader + Align(dataLength);
        var control = stackalloc byte[Math.Max(space, CmsgHeader)];
        new Span<byte>(control, space).Clear();
        *(nuint*)control = (nuint)(CmsgHeader + dataLength);
        *(int*)(control + 8) = SolSocket;
        *(int*)(control + 12) = ScmRights;
        fds.CopyTo(new Span<int>(control + CmsgHeader, fds.Length));

        fixed (byte* data = payload)
        {
            var iov = new Libc.IoVec { Base = data, Length = (nuint)payload.Length };
            var message = new Libc.MsgHdr
            {
                Iov = &iov,
                IovLength = 1,
                Control = fds.IsEmpty ? null : control,
                ControlLength = fds.IsEmpty ? 0 : (nuint)space,
            };
            nint sent;
            do
            {
                sent = Libc.SendMsg(socket, &message, 0);
            }
            while (sent < 0 && Errno.Last == Errno.EINTR);

            SandboxSetupException.ThrowIfFailed(sent, "sendmsg(SCM_RIGHTS) to the supervisor");
        }
    }

    /// <summary>Receives one message. Returns the payload length (0 at end of stream); received
    /// descriptors are close-on-exec and owned by the caller.</summary>
    public static int Receive(int socket, Span<byte> payload, List<int> fds, int maxFds)
    {
        var space = CmsgHeader + Align(maxFds * sizeof(int));
        var control = stackalloc byte[space];
        new Span<byte>(control, space).Clear();
        fixed (byte* data = payload)
        {
            var iov = new Libc.IoVec { Base = data, Length = (nuint)payload.Length };
            var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)space };
            nint received;
            do
            {
                received = Libc.RecvMsg(socket, &message, MsgCmsgCloexec);
            }
            while (received < 0 && Errno.Last == Errno.EINTR);

            SandboxSetupException.ThrowIfFailed(received, "recvmsg from the sandbox");
            var offset = 0;
            while (offset + CmsgHeader <= (int)message.ControlLength)
            {
                var length = (int)*(nuint*)(control + offset);
                var level = *(int*)(control + offset + 8);
                var type = *(int*)(control + offset + 12);
                if (length < CmsgHeader)
                {
                    break;
                }

                if (level == SolSocket && type == ScmRights)
                {
                    var count = (length - CmsgHeader) / sizeof(int);
                    for (var i = 0; i < count; i++)
                    {
                        fds.Add(*(int*)(control + offset + CmsgHeader + (i * sizeof(int))));
                    }
                }

                offset += CmsgHeader + Align(length - CmsgHeader);
            }

            return (int)received;
        }
    }

    private static int Align(int length) => (length + 7) & ~7;
}
