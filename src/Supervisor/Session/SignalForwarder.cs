using System.Runtime.InteropServices;
using Nono.Interop;

namespace Nono.Supervisor.Session;

/// <summary>
/// Owns SIGINT, SIGTERM, SIGHUP and SIGQUIT for the life of a session and passes each to the
/// sandboxed child instead of letting the runtime terminate nono: the child decides how to react,
/// and nono exits with the child's status after tearing the session down. SIGWINCH is reported to
/// the PTY owner so the child's window size follows the user's terminal.
/// </summary>
internal sealed class SignalForwarder : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Action<int> _forward;
    private readonly Action? _windowChanged;

    public SignalForwarder(Action<int> forward, Action? windowChanged = null)
    {
        _forward = forward;
        _windowChanged = windowChanged;
        Register(PosixSignal.SIGINT, 2);
        Register(PosixSignal.SIGTERM, 15);
        Register(PosixSignal.SIGHUP, 1);
        Register(PosixSignal.SIGQUIT, 3);
        if (windowChanged is not null)
        {
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
            {
                context.Cancel = true;
                _windowChanged?.Invoke();
            }));
        }
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it has already gone.</summary>
    public static bool Send(int pid, int signal) => Posix.Kill(pid, signal) == 0;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
    }

    private void Register(PosixSignal signal, int number) =>
        _registrations.Add(PosixSignalRegistration.Create(signal, context =>
        {
            // Cancel the runtime's default handling (which would end nono before the child).
            context.Cancel = true;
            _forward(number);
        }));
}
