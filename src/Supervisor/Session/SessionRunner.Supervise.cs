using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Persistence;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Terminal;

namespace Nono.Supervisor.Session;

internal static partial class SessionRunner
{
    private static async Task<int> SuperviseAsync(ResolvedSession session, LinuxHost linux, ProxyConfig? proxyConfig)
    {
        var request = session.Request;
        var bridges = new List<PortBridge>();
        PersistenceGuard? persistence = null;
        await using var supervised = new SupervisedSession(request)
        {
            AfterChild = async () =>
            {
                if (SessionReaper.EndOrphans(TimeSpan.FromSeconds(1)) is var orphans and > 0)
                {
                    Console.Error.WriteLine($"nono: ended {orphans} background process(es) the command left running");
                }

                foreach (var bridge in bridges)
                {
                    await bridge.DisposeAsync().ConfigureAwait(false);
                }

                // Every process of the session is gone: nothing can change the grants under the scan.
                persistence?.Finish(request.AuditLog);
            },
        };

        SessionReaper.AdoptOrphans();
        await supervised.StartProxyAsync(proxyConfig).ConfigureAwait(false);
        supervised.OpenTerminal();
        var proxy = supervised.Proxy;
        var homes = session.Host.SensitiveHomes();
        var (policy, copies) = SessionFileCopies.Create(PolicyFor(session.Settings, proxy, supervised.Terminal, session.Temp, homes), homes, session.Temp);
        persistence = PersistenceGuard.Prepare(policy, PersistenceGuard.HomeOf(session.Host), request.AllowPersistence, session.Temp);
        var plan = LinuxLaunchPlan.Create(persistence.Policy, linux, supervised: true);
        foreach (var warning in plan.Warnings)
        {
            Console.Error.WriteLine($"nono: {warning}");
        }

        if (request.Verbose)
        {
            foreach (var note in plan.Notes)
            {
                Console.Error.WriteLine($"nono: debug: {note}");
            }
        }

        persistence.BeforeLaunch();
        if (persistence.Notice() is { } notice)
        {
            Console.Error.WriteLine(notice);
        }

        var target = supervised.Target(session, proxyConfig);
        var replica = supervised.Replica;
        if (supervised.EndedBeforeLaunch is { } status)
        {
            return status;
        }

        var started = await SandboxLauncher.StartAsync(new SandboxLaunchRequest
        {
            Plan = plan,
            Target = target,
            StandardInput = replica,
            StandardOutput = replica,
            StandardError = replica,
            ControllingTerminal = supervised.Terminal is not null,
            ForegroundJob = supervised.Terminal is null,
            Verbose = request.Verbose,
        }).ConfigureAwait(false);
        supervised.Started(started);
        HandOverListeners(started, plan, proxy, proxyConfig, bridges);
        var exitCode = await supervised.RunToExitAsync(started).ConfigureAwait(false);
        copies.WriteBack();
        return exitCode;
    }

    private static SandboxPolicy PolicyFor(SessionSettings settings, ProxyHandle? proxy, PseudoTerminal? terminal, string temp, SensitiveHomes homes)
    {
        IReadOnlyList<FsGrant> sessionGrants = proxy?.InterceptCaPath is { } ca ? [FsGrant.File(ca, FsAccess.Read)] : [];
        IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)proxy.Port];
        var profile = settings.CreateSandboxPolicy(ports, sessionGrants);
        var system = LinuxSystemPolicy.BaseGrants(temp, terminal is null ? null : [terminal.ReplicaPath]);
        return SessionPolicy.KeepPlantedCommandsReadOnly(SessionPolicy.Compose(profile, system, homes), homes);
    }

    /// <summary>The proxy accepts on the child's in-namespace listener; extra ports are bridged to the host's loopback.</summary>
    private static void HandOverListeners(SandboxedProcess child, LinuxLaunchPlan plan, ProxyHandle? proxy, ProxyConfig? proxyConfig, List<PortBridge> bridges)
    {
        if (!plan.NetworkNamespace)
        {
            return;
        }

        foreach (var (port, socket) in child.Listeners)
        {
            if (proxy is not null && proxyConfig is not null && port == proxyConfig.BindPort)
            {
                proxy.AddListener(socket);
            }
            else
            {
                bridges.Add(PortBridge.Start(socket, port));
            }
        }
    }
}
