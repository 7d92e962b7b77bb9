using Microsoft.Win32.SafeHandles;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Supervisor.Terminal;

namespace Nono.Supervisor.Session;

/// <summary>
/// The platform-neutral life of a supervised child: signals owned from the start, the proxy and its
/// audit report, the PTY for `nono shell`, the child's environment, the wait, and a teardown in a
/// fixed order (child, the platform's own leftovers, proxy, audit summary, terminal, signals). The
/// platform only plans the sandbox and starts the child.
/// </summary>
internal sealed class SupervisedSession : IAsyncDisposable
{
    private readonly SessionRequest _request;
    private readonly SignalForwarder _signals;
    private ISandboxedChild? _child;
    private int _pendingSignal;
    private RawModeScope? _rawMode;
    private PtyRelay? _relay;

    public SupervisedSession(SessionRequest request)
    {
        _request = request;

        // A signal arriving before the child exists ends the launch instead of killing nono halfway through setting up.
        _signals = new SignalForwarder(
            signal =>
            {
                if (Volatile.Read(ref _child) is { } running)
                {
                    running.Signal(signal);
                }
                else
                {
                    Interlocked.CompareExchange(ref _pendingSignal, signal, 0);
                }
            },
            request.Terminal ? () => Terminal?.SyncWindowSize(0) : null);
    }

    public ProxyHandle? Proxy { get; private set; }

    public PseudoTerminal? Terminal { get; private set; }

    /// <summary>Runs after the child is gone and before the proxy stops (Linux: orphans, port bridges).</summary>
    public Func<ValueTask>? AfterChild { get; set; }

    private AuditReport? Audit { get; set; }

    /// <summary>The status to exit with when a signal arrived before the child started (128 + N), else null.</summary>
    public int? EndedBeforeLaunch => Volatile.Read(ref _pendingSignal) is var signal and not 0 ? 128 + signal : null;

    /// <summary>The PTY's replica for the child's stdio in `nono shell`; null otherwise (the child shares nono's).</summary>
    public SafeFileHandle? Replica => Terminal is null ? null : new SafeFileHandle(Terminal.ReplicaFd, ownsHandle: false);

    /// <summary>Starts the proxy (when the session has one) and prints its route diagnostics.</summary>
    public async Task StartProxyAsync(ProxyConfig? config)
    {
        if (config is null)
        {
            return;
        }

        Proxy = await ProxyServer.StartAsync(config).ConfigureAwait(false);
        Audit = new AuditReport(Proxy, _request.AuditLog);
        foreach (var line in Proxy.RouteDiagnostics(config))
        {
            Console.Error.WriteLine($"nono: route {line}");
        }
    }

    /// <summary>Opens the PTY of `nono shell`, sized like the user's terminal.</summary>
    public void OpenTerminal()
    {
        if (_request.Terminal)
        {
            Terminal = PseudoTerminal.Open();
            Terminal.SyncWindowSize(0);
        }
    }

    /// <summary>The command with the child's environment: filtered, the proxy's variables, TMPDIR the session's.</summary>
    public LaunchTarget Target(ResolvedSession session, ProxyConfig? config)
    {
        var environment = session.Settings.BuildChildEnvironment(
            session.Host.Variables,
            Proxy?.EnvVars() ?? [],
            Proxy is not null && config is not null ? Proxy.CredentialEnvVars(config) : []);
        return new LaunchTarget(
            session.Executable,
            _request.Command,
            [
                .. session.SessionVariables.Concat(environment).Where(v => v.Key != "TMPDIR").DistinctBy(v => v.Key).Select(v => $"{v.Key}={v.Value}"),
                $"TMPDIR={session.Temp}",
            ],
            _request.WorkingDirectory);
    }

    /// <summary>The child has started: signals go to it from now on, the one that came too early first.</summary>
    public void Started(ISandboxedChild child)
    {
        Volatile.Write(ref _child, child);
        if (Interlocked.Exchange(ref _pendingSignal, 0) is var early and not 0)
        {
            child.Signal(early);
        }
    }

    /// <summary>Relays the PTY (for `nono shell`) and returns the child's exit status.</summary>
    public async Task<int> RunToExitAsync(ISandboxedChild child)
    {
        if (Terminal is not null)
        {
            Terminal.CloseReplica();
            _rawMode = RawModeScope.Enter(0);
            _relay = new PtyRelay(0, 1, Terminal.ControllerFd);
            _relay.Start();
        }

        var status = await child.WaitForExitAsync().ConfigureAwait(false);
        _relay?.StopInput();
        _relay?.WaitForOutput(TimeSpan.FromSeconds(2));
        return status;
    }

    public async ValueTask DisposeAsync()
    {
        _relay?.Stop();
        _rawMode?.Dispose();
        if (_child is not null)
        {
            await _child.DisposeAsync().ConfigureAwait(false);
            if (AfterChild is not null)
            {
                await AfterChild().ConfigureAwait(false);
            }
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
        }

        if (Audit is not null)
        {
            await Audit.DisposeAsync().ConfigureAwait(false);
            foreach (var line in Audit.Summary())
            {
                Console.Error.WriteLine(line);
            }
        }

        Terminal?.Dispose();
        _signals.Dispose();
    }
}
