namespace Nono.Sandbox;

/// <summary>
/// A running sandboxed child as a supervisor sees it, whichever platform started it: a pid to
/// signal and a status to wait for. Disposing kills the child if it still runs and waits for it.
/// </summary>
public interface ISandboxedChild : IAsyncDisposable
{
    int Pid { get; }

    bool HasExited { get; }

    /// <summary>Completes with the exit status: the exit code, or 128 + N when killed by signal N.</summary>
    Task<int> Exited { get; }

    /// <summary>Sends <paramref name="signal"/> to the child; false once it has been reaped.</summary>
    bool Signal(int signal);

    ValueTask<int> WaitForExitAsync(CancellationToken cancellationToken = default);
}
