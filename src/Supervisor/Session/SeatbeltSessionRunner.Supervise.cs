using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Sandbox.MacOS.Launch;

namespace Nono.Supervisor.Session;

internal static partial class SeatbeltSessionRunner
{
    /// <remarks>
    /// There is no parent-death signal on macOS, so every exit path of this method ends in the
    /// session's teardown, which kills and reaps the child (<see cref="SeatbeltProcess.DisposeAsync"/>);
    /// SIGINT, SIGTERM, SIGHUP and SIGQUIT are owned by the session, so they reach the child and the
    /// session still tears down. Only SIGKILL of nono leaves the child running (see
    /// <see cref="SeatbeltLauncher"/> for what it can still do then).
    /// </remarks>
    private static async Task<int> SuperviseAsync(ResolvedSession session, ProxyConfig? proxyConfig, SeatbeltContext context)
    {
        var request = session.Request;
        await using var supervised = new SupervisedSession(request);
        await supervised.StartProxyAsync(proxyConfig).ConfigureAwait(false);
        supervised.OpenTerminal();
        var proxy = supervised.Proxy;

        IReadOnlyList<FsGrant> sessionGrants = proxy?.InterceptCaPath is { } ca ? [FsGrant.File(ca, FsAccess.Read)] : [];
        IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)proxy.Port];
        var plan = SeatbeltSessionPlan.Create(session.Settings, ports, sessionGrants, session.Temp, context, session.Host.Accounts);
        if (request.Verbose)
        {
            Console.Error.WriteLine($"nono: debug: Seatbelt profile of {plan.Profile.Length} characters; proxy on 127.0.0.1:{(proxy is null ? "-" : proxy.Port)}");
        }

        var target = supervised.Target(session, proxyConfig);
        var replica = supervised.Replica;
        if (supervised.EndedBeforeLaunch is { } status)
        {
            return status;
        }

        var (stage2, stage2Arguments) = TrampolineCommand.Current();
        var started = await SeatbeltLauncher.StartAsync(new SeatbeltLaunchRequest
        {
            Stage2Program = stage2,
            Stage2Arguments = stage2Arguments,
            Policy = plan.Policy,
            Context = context,
            Target = target,
            StandardInput = replica,
            StandardOutput = replica,
            StandardError = replica,
            ControllingTerminal = supervised.Terminal is not null,
            Verbose = request.Verbose,
        }).ConfigureAwait(false);
        supervised.Started(started);
        return await supervised.RunToExitAsync(started).ConfigureAwait(false);
    }
}
