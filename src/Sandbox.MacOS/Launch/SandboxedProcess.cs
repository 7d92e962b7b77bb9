using Nono.Interop;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// A running child under Seatbelt. Unlike Linux there are no listeners to hand back: the proxy
/// listens on the host's loopback and the profile lets the child connect to that port only.
/// Disposing kills the child if it still runs and waits for it.
/// </summary>
public sealed class SandboxedProcess : ISandboxedChild
{
    private const int SigKill = 9;
    private readonly Task<int> _exited;

    internal SandboxedProcess(int pid, Task<int> exited)
    {
        Pid = pid;
        _exited = exited;
    }

    public int Pid { get; }

    public Task<int> Exited => _exited;

    public bool HasExited => _exited.IsCompleted;

    /// <summary>Sends <paramref name="signal"/> (the numbers nono forwards, 1, 2, 3, 9 and 15, are
    /// the same on macOS and Linux); false once the child has been reaped.</summary>
    public bool Signal(int signal) => !HasExited && OperatingSystem.IsMacOS() && Posix.Kill(Pid, signal) == 0;

    public async ValueTask<int> WaitForExitAsync(CancellationToken cancellationToken = default) =>
        await _exited.WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        Signal(SigKill);
        await ((Task)_exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
