using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Supervisor.Persistence;

namespace Nono.Supervisor.Session;

/// <summary>
/// The Linux steps of a supervised session: the child gets user + network (+ mount) namespaces
/// through unshare(1), stage 2 hands the proxy's listener back from inside the child's network
/// namespace, Landlock and seccomp confine it, and nono is the subreaper of the child's tree so that
/// nothing it leaves running outlives the session. Without user namespaces the proxy listens on the
/// host's loopback and the plan says how much weaker that is (<see cref="LinuxSessionPlan"/>).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxSession : ISessionPlatform
{
    private readonly Task<LinuxHost> _detection;
    private readonly Task<Stage2Standby?> _standby;
    private readonly List<PortBridge> _bridges = [];
    private LinuxHost? _host;
    private LinuxLaunchPlan? _plan;
    private SessionFileCopies? _copies;
    private PersistenceGuard? _persistence;
    private string? _auditLog;

    public LinuxSession(SessionRequest request)
    {
        // A session nearly always needs namespaces, and finding out whether they work here starts a
        // process (UserNamespaceTrial): that runs on the other core while the profile is resolved.
        _detection = Task.Run(() =>
        {
            var detected = LinuxHost.Detect();
            _ = detected.UserNamespaces.Available;
            return detected;
        });

        // Then stage 2 starts there too, before its spec exists (Stage2Standby): the launch of the
        // usual session (proxy mode unless a flag says otherwise, nono's own stdio) does not wait for a
        // second start of the runtime. A session that turns out otherwise starts its own.
        _standby = request.DryRun || request.Terminal
            ? Task.FromResult<Stage2Standby?>(null)
            : _detection.ContinueWith(
                detected =>
                {
                    // The subreaper must be in place before the first process of the session starts.
                    SessionReaper.AdoptOrphans();
                    var mode = request.Flags.BlockNetwork ? NetworkMode.Blocked : request.Flags.AllowNetwork ? NetworkMode.Host : NetworkMode.Proxy;
                    return Stage2Standby.Start(detected.Result, mode);
                },
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
    }

    private LinuxHost Host => _host ?? throw new InvalidOperationException("the session is not configured");

    private LinuxLaunchPlan LaunchPlan => _plan ?? throw new InvalidOperationException("the sandbox is not planned");

    public async Task<ProxyConfig?> ConfigureAsync(ResolvedSession session)
    {
        _host = await _detection.ConfigureAwait(false);
        return session.Settings.NetworkMode == NetworkMode.Proxy ? LinuxSessionPlan.ProxyConfigFor(session.Settings, session.Request, _host, session.Temp) : null;
    }

    public int PrintDryRun(ResolvedSession session, ProxyConfig? proxy) => LinuxDryRun.Print(session, Host, proxy);

    public void BeforeStart() => SessionReaper.AdoptOrphans();

    public void Plan(ResolvedSession session, SupervisedSession supervised)
    {
        var proxy = supervised.Proxy;
        var (policy, copies) = SessionFileCopies.Create(
            LinuxSessionPlan.Policy(session, proxy is null ? null : (ushort)proxy.Port, proxy?.InterceptCaPath, supervised.Terminal?.ReplicaPath),
            session.Host.SensitiveHomes(),
            session.Temp);
        _copies = copies;
        _auditLog = session.Request.AuditLog;
        _persistence = PersistenceGuard.Prepare(policy, PersistenceGuard.HomeOf(session.Host), session.Request.AllowPersistence, session.Temp);
        _plan = LinuxLaunchPlan.Create(_persistence.Policy, Host, supervised: true);
        foreach (var warning in _plan.Warnings)
        {
            Console.Error.WriteLine($"nono: {warning}");
        }

        if (session.Request.Verbose)
        {
            foreach (var note in _plan.Notes)
            {
                Console.Error.WriteLine($"nono: debug: {note}");
            }
        }

        _persistence.BeforeLaunch();
        if (_persistence.Notice() is { } notice)
        {
            Console.Error.WriteLine(notice);
        }
    }

    public async Task<ISandboxedChild> LaunchAsync(ResolvedSession session, SupervisedSession supervised, LaunchTarget target)
    {
        var replica = supervised.Replica;
        var standby = await StandbyAsync().ConfigureAwait(false);
        return await SandboxLauncher.StartAsync(new SandboxLaunchRequest
        {
            Plan = LaunchPlan,
            Target = target,
            StandardInput = replica,
            StandardOutput = replica,
            StandardError = replica,
            ControllingTerminal = supervised.Terminal is not null,
            ForegroundJob = supervised.Terminal is null,
            Verbose = session.Request.Verbose,
        }, standby).ConfigureAwait(false);
    }

    /// <summary>Abandons the standby stage 2 if the session never launched through it.</summary>
    public void Dispose()
    {
        if (_standby.IsCompletedSuccessfully)
        {
            _standby.Result?.Dispose();
        }
        else
        {
            _ = _standby.ContinueWith(task => task.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    private async Task<Stage2Standby?> StandbyAsync()
    {
        try
        {
            return await _standby.ConfigureAwait(false);
        }
        catch (Exception error) when (error is NonoException or IOException or TaskCanceledException)
        {
            // No standby: the launch spawns its own stage 2 and reports its own failure.
            return null;
        }
    }

    /// <summary>The proxy accepts on the child's in-namespace listener; extra ports are bridged to the host's loopback.</summary>
    public void Attach(ISandboxedChild child, SupervisedSession supervised, ProxyConfig? proxy)
    {
        if (!LaunchPlan.NetworkNamespace || child is not SandboxedProcess process)
        {
            return;
        }

        foreach (var (port, socket) in process.Listeners)
        {
            if (supervised.Proxy is { } running && proxy is not null && port == proxy.BindPort)
            {
                running.AddListener(socket);
            }
            else
            {
                _bridges.Add(PortBridge.Start(socket, port));
            }
        }
    }

    public async ValueTask AfterChildAsync()
    {
        // The program and everything it started are gone (its PID namespace died with it), so
        // nothing can change a session copy while it is written back.
        _copies?.WriteBack();
        if (SessionReaper.EndOrphans(TimeSpan.FromSeconds(1)) is var orphans and > 0)
        {
            Console.Error.WriteLine($"nono: ended {orphans} background process(es) the command left running");
        }

        foreach (var bridge in _bridges)
        {
            await bridge.DisposeAsync().ConfigureAwait(false);
        }

        // Every process of the session is gone: nothing can change the grants under the scan.
        _persistence?.Finish(_auditLog);
    }
}
