using System.Net.Sockets;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// A running sandboxed child. <see cref="Listeners"/> are the listening sockets stage 2 created
/// inside the child's network namespace (keyed by port): accepting on them is the only way to
/// talk to the child's network, and nothing outside the namespace can connect to them.
/// Disposing kills the child if it still runs, waits for it, and closes the listeners.
/// </summary>
/// <remarks>In a PID namespace <see cref="Pid"/> is unshare(1), which waits with every forwarded
/// signal blocked; signals go to its child instead, the namespace's init, which passes them on to the
/// program. SIGKILL still goes to unshare, whose death takes the init (--kill-child) and the namespace.</remarks>
public sealed class SandboxedProcess : ISandboxedChild
{
    private const int SigKill = 9;
    private readonly Task<int> _exited;
    private readonly bool _viaInit;
    private int _init;

    internal SandboxedProcess(int pid, IReadOnlyDictionary<ushort, Socket> listeners, Task<int> exited, bool viaInit = false)
    {
        Pid = pid;
        Listeners = listeners;
        _exited = exited;
        _viaInit = viaInit;
    }

    public int Pid { get; }

    public IReadOnlyDictionary<ushort, Socket> Listeners { get; }

    /// <summary>Completes with the exit status: the exit code, or 128 + N when killed by signal N.</summary>
    public Task<int> Exited => _exited;

    public bool HasExited => _exited.IsCompleted;

    /// <summary>Sends <paramref name="signal"/> (a Linux signal number) to the child; false once it has been reaped.</summary>
    public bool Signal(int signal)
    {
        if (HasExited)
        {
            return false;
        }

        var target = _viaInit && signal != SigKill ? Init() : Pid;
        return target > 0 && Posix.Kill(target, signal) == 0;
    }

    /// <summary>unshare's only child (it forks once, right away); waits briefly for it at start-up.</summary>
    private int Init()
    {
        for (var attempt = 0; Volatile.Read(ref _init) == 0 && attempt < 200 && !HasExited; attempt++)
        {
            if (SessionReaper.ChildrenOf(Pid) is [var init, ..])
            {
                Volatile.Write(ref _init, init);
                break;
            }

            Thread.Sleep(5);
        }

        return Volatile.Read(ref _init);
    }

    public async ValueTask<int> WaitForExitAsync(CancellationToken cancellationToken = default) =>
        await _exited.WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        Signal(SigKill);
        await ((Task)_exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var listener in Listeners.Values)
        {
            listener.Dispose();
        }
    }
}
