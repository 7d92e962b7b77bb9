using Nono.Interop;

namespace Nono.Supervisor.Terminal;

/// <summary>
/// Puts the user's terminal in raw mode for the lifetime of the scope, so that keystrokes (Ctrl-C,
/// Ctrl-Z, arrows) reach the sandboxed shell's own line discipline instead of acting on nono.
/// The saved mode is restored on Dispose, and also from the process-exit hook, so that every exit
/// path short of SIGKILL leaves the terminal as it was found.
/// </summary>
internal sealed unsafe class RawModeScope : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved = new byte[TerminalInterop.Constants.TermiosBuffer];
    private int _restored;

    private RawModeScope(int fd)
    {
        _fd = fd;
    }

    /// <summary>Null when <paramref name="fd"/> is not a terminal (nothing to change or restore).</summary>
    public static RawModeScope? Enter(int fd)
    {
        if (Posix.IsATty(fd) != 1)
        {
            return null;
        }

        var scope = new RawModeScope(fd);
        var raw = new byte[TerminalInterop.Constants.TermiosBuffer];
        fixed (byte* saved = scope._saved)
        fixed (byte* r = raw)
        {
            if (TerminalInterop.TcGetAttr(fd, saved) != 0)
            {
                throw TerminalInterop.Failure("Reading the terminal mode (tcgetattr)");
            }

            scope._saved.CopyTo(raw, 0);
            TerminalInterop.CfMakeRaw(r);
            if (TerminalInterop.TcSetAttr(fd, TerminalInterop.TcsaDrain, r) != 0)
            {
                throw TerminalInterop.Failure("Switching the terminal to raw mode (tcsetattr)");
            }
        }

        AppDomain.CurrentDomain.ProcessExit += scope.OnProcessExit;
        return scope;
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Restore();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
        {
            return;
        }

        fixed (byte* saved = _saved)
        {
            _ = TerminalInterop.TcSetAttr(_fd, TerminalInterop.TcsaDrain, saved);
        }
    }
}
