using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Sandbox.MacOS.Launch;

namespace Nono.Supervisor.Session;

/// <summary>
/// The macOS steps of a supervised session: Seatbelt in place of namespaces, Landlock and seccomp.
/// The proxy listens on the host's loopback (ephemeral port, token required) and the profile lets
/// the program reach that port only (<see cref="MacOSSessionPlan"/>).
/// </summary>
/// <remarks>
/// There is no parent-death signal on macOS, so every exit path of the session ends in its
/// teardown, which kills and reaps the child (<see cref="SandboxedProcess.DisposeAsync"/>);
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT are owned by the session, so they reach the child and the
/// session still tears down. Only SIGKILL of nono leaves the child running (see
/// <see cref="SandboxLauncher"/> for what it can still do then).
/// </remarks>
[SupportedOSPlatform("macos")]
internal sealed class MacOSSession : ISessionPlatform
{
    private SeatbeltContext? _context;
    private MacOSSessionPlan? _plan;

    private SeatbeltContext Context => _context ?? throw new InvalidOperationException("the session is not configured");

    public Task<ProxyConfig?> ConfigureAsync(ResolvedSession session)
    {
        _context = new SeatbeltContext(session.Host.Home);
        return Task.FromResult(session.Settings.NetworkMode == NetworkMode.Proxy ? MacOSSessionPlan.ProxyConfigFor(session.Settings, session.Request) : null);
    }

    public int PrintDryRun(ResolvedSession session, ProxyConfig? proxy) =>
        MacOSDryRun.Print(Console.Out, session.Request, session.Settings, proxy, session.Executable, session.Temp, Context, session.Host.Accounts);

    public void BeforeStart()
    {
    }

    /// <summary>Nothing to abandon: sandbox-exec starts only when the session launches.</summary>
    public void Dispose()
    {
    }

    public void Plan(ResolvedSession session, SupervisedSession supervised)
    {
        var proxy = supervised.Proxy;
        IReadOnlyList<FsGrant> sessionGrants = proxy?.InterceptCaPath is { } ca ? [FsGrant.File(ca, FsAccess.Read)] : [];
        IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)proxy.Port];
        _plan = MacOSSessionPlan.Create(session.Settings, ports, sessionGrants, session.Temp, Context, session.Host.Accounts);
        if (session.Request.Verbose)
        {
            Console.Error.WriteLine($"nono: debug: Seatbelt profile of {_plan.Profile.Length} characters; proxy on 127.0.0.1:{(proxy is null ? "-" : proxy.Port)}");
        }
    }

    public async Task<ISandboxedChild> LaunchAsync(ResolvedSession session, SupervisedSession supervised, LaunchTarget target)
    {
        var plan = _plan ?? throw new InvalidOperationException("the sandbox is not planned");
        var (stage2, stage2Arguments) = TrampolineCommand.Current();
        var replica = supervised.Replica;
        return await SandboxLauncher.StartAsync(new SandboxLaunchRequest
        {
            Stage2Program = stage2,
            Stage2Arguments = stage2Arguments,
            Policy = plan.Policy,
            Context = Context,
            Target = target,
            StandardInput = replica,
            StandardOutput = replica,
            StandardError = replica,
            ControllingTerminal = supervised.Terminal is not null,
            Verbose = session.Request.Verbose,
        }).ConfigureAwait(false);
    }

    /// <summary>Nothing to hand over: the proxy listens on the host's loopback itself.</summary>
    public void Attach(ISandboxedChild child, SupervisedSession supervised, ProxyConfig? proxy)
    {
    }

    public ValueTask AfterChildAsync() => ValueTask.CompletedTask;
}
