using System.Net.Sockets;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// A running sandboxed child. <see cref="Listeners"/> are the listening sockets stage 2 created
/// inside the child's network namespace (keyed by port): accepting on them is the only way to
/// talk to the child's network, and nothing outside the namespace can connect to them.
/// Disposing kills the child if it still runs, waits for it, and closes the listeners.
/// </summary>
public sealed class SandboxedProcess : ISandboxedChild
{
    private readonly Task<int> _exited;

    internal SandboxedProcess(int pid, IReadOnlyDictionary<ushort, Socket> listeners, Task<int> exited)
    {
        Pid = pid;
        Listeners = listeners;
        _exited = exited;
    }

    public int Pid { get; }

    public IReadOnlyDictionary<ushort, Socket> Listeners { get; }

    /// <summary>Completes with the exit status: the exit code, or 128 + N when killed by signal N.</summary>
    public Task<int> Exited => _exited;

    public bool HasExited => _exited.IsCompleted;

    /// <summary>Sends <paramref name="signal"/> (a Linux signal number) to the child; false once it has been reaped.</summary>
    public bool Signal(int signal) => !HasExited && Libc.Kill(Pid, signal) == 0;

    public async ValueTask<int> WaitForExitAsync(CancellationToken cancellationToken = default) =>
        await _exited.WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        const int SigKill = 9;
        Signal(SigKill);
        await ((Task)_exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var listener in Listeners.Values)
        {
            listener.Dispose();
        }
    }
}
