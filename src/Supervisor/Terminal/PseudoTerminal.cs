using System.Text;
using Nono.Interop;

namespace Nono.Supervisor.Terminal;

/// <summary>
/// A pseudo-terminal pair owned by the supervisor. The child gets the replica (slave) side as its
/// stdin/stdout/stderr and controlling terminal; the supervisor keeps the controller (master) side
/// and relays it to the user's real terminal. Both descriptors are close-on-exec: the launcher
/// dup2()s the replica into the child's 0..2 explicitly, so nothing else leaks into the child.
/// </summary>
internal sealed class PseudoTerminal : IDisposable
{
    private int _controller;
    private int _replica;

    private PseudoTerminal(int controller, int replica, string replicaPath)
    {
        _controller = controller;
        _replica = replica;
        ReplicaPath = replicaPath;
    }

    public int ControllerFd => _controller;

    public int ReplicaFd => _replica;

    public string ReplicaPath { get; }

    public static unsafe PseudoTerminal Open()
    {
        var constants = TerminalInterop.Constants;
        var controller = TerminalInterop.PosixOpenPt(constants.OpenPtFlags);
        if (controller < 0)
        {
            throw TerminalInterop.Failure("Opening a pseudo-terminal (posix_openpt)");
        }

        try
        {
            if (!constants.OpenPtAcceptsCloseOnExec && Posix.IoctlNoArgument(controller, constants.FioClex) != 0)
            {
                throw TerminalInterop.Failure("Marking the pseudo-terminal close-on-exec (FIOCLEX)");
            }

            if (TerminalInterop.GrantPt(controller) != 0)
            {
                throw TerminalInterop.Failure("grantpt");
            }

            if (TerminalInterop.UnlockPt(controller) != 0)
            {
                throw TerminalInterop.Failure("unlockpt");
            }

            Span<byte> name = stackalloc byte[128];
            fixed (byte* p = name)
            {
                var rc = TerminalInterop.PtsNameR(controller, p, (nuint)name.Length);
                if (rc != 0)
                {
                    throw new IOException($"ptsname_r failed (error {rc}).");
                }
            }

            var path = Encoding.UTF8.GetString(name[..name.IndexOf((byte)0)]);
            var replica = Posix.Open(path, constants.ReplicaOpenFlags);
            if (replica < 0)
            {
                throw TerminalInterop.Failure($"Opening {path}");
            }

            return new PseudoTerminal(controller, replica, path);
        }
        catch
        {
            _ = Posix.Close(controller);
            throw;
        }
    }

    /// <summary>Copies the window size of <paramref name="sourceFd"/> (the user's terminal) to the pair.</summary>
    public bool SyncWindowSize(int sourceFd)
    {
        var size = default(TerminalInterop.WindowSize);
        if (TerminalInterop.IoctlWindowSize(sourceFd, TerminalInterop.Constants.GetWindowSize, ref size) != 0)
        {
            return false;
        }

        return TerminalInterop.IoctlWindowSize(_controller, TerminalInterop.Constants.SetWindowSize, ref size) == 0;
    }

    /// <summary>The supervisor closes its copy of the replica once the child holds it, so that the
    /// controller reads EOF/EIO when the child and its descendants are gone.</summary>
    public void CloseReplica()
    {
        var fd = Interlocked.Exchange(ref _replica, -1);
        if (fd >= 0)
        {
            _ = Posix.Close(fd);
        }
    }

    public void Dispose()
    {
        CloseReplica();
        var fd = Interlocked.Exchange(ref _controller, -1);
        if (fd >= 0)
        {
            _ = Posix.Close(fd);
        }
    }
}
