using Microsoft.Win32.SafeHandles;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Terminal;

namespace Nono.Supervisor.Session;

internal static partial class SessionRunner
{
    private static async Task<int> SuperviseAsync(
        SessionRequest request, SessionSettings settings, LinuxHost linux, ProxyConfig? proxyConfig, string executable, string temp, HostEnvironment host)
    {
        ProxyHandle? proxy = null;
        AuditReport? audit = null;
        PseudoTerminal? terminal = null;
        RawModeScope? rawMode = null;
        PtyRelay? relay = null;
        SandboxedProcess? child = null;
        var bridges = new List<PortBridge>();

        // Signals are owned from the start: one arriving before the child exists ends the launch
        // instead of killing nono halfway through setting up.
        var pending = 0;
        using var signals = new SignalForwarder(
            signal =>
            {
                if (Volatile.Read(ref child) is { } running)
                {
                    running.Signal(signal);
                }
                else
                {
                    Interlocked.CompareExchange(ref pending, signal, 0);
                }
            },
            request.Terminal ? () => terminal?.SyncWindowSize(0) : null);
        try
        {
            SessionReaper.AdoptOrphans();
            if (proxyConfig is not null)
            {
                proxy = await ProxyServer.StartAsync(proxyConfig).ConfigureAwait(false);
                audit = new AuditReport(proxy, request.AuditLog);
                foreach (var line in proxy.RouteDiagnostics(proxyConfig))
                {
                    Console.Error.WriteLine($"nono: route {line}");
                }
            }

            if (request.Terminal)
            {
                terminal = PseudoTerminal.Open();
                terminal.SyncWindowSize(0);
            }

            var plan = LinuxLaunchPlan.Create(PolicyFor(settings, proxy, terminal, temp, host.SensitiveHomes()), linux);
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

            var environment = settings.BuildChildEnvironment(
                host.Variables,
                proxy?.EnvVars() ?? [],
                proxy is not null && proxyConfig is not null ? proxy.CredentialEnvVars(proxyConfig) : []);
            var target = new LaunchTarget(
                executable,
                request.Command,
                [.. environment.Where(v => v.Key != "TMPDIR").Select(v => $"{v.Key}={v.Value}"), $"TMPDIR={temp}"],
                request.WorkingDirectory);

            var replica = terminal is null ? null : new SafeFileHandle(terminal.ReplicaFd, ownsHandle: false);
            if (pending != 0)
            {
                return 128 + pending;
            }

            var started = await SandboxLauncher.StartAsync(new SandboxLaunchRequest
            {
                Plan = plan,
                Target = target,
                StandardInput = replica,
                StandardOutput = replica,
                StandardError = replica,
                ControllingTerminal = terminal is not null,
                ForegroundJob = terminal is null,
                Verbose = request.Verbose,
            }).ConfigureAwait(false);
            Volatile.Write(ref child, started);
            if (Interlocked.Exchange(ref pending, 0) is var early and not 0)
            {
                started.Signal(early);
            }

            HandOverListeners(started, plan, proxy, proxyConfig, bridges);
            if (terminal is not null)
            {
                terminal.CloseReplica();
                rawMode = RawModeScope.Enter(0);
                relay = new PtyRelay(0, 1, terminal.ControllerFd);
                relay.Start();
            }

            var status = await started.WaitForExitAsync().ConfigureAwait(false);
            relay?.StopInput();
            relay?.WaitForOutput(TimeSpan.FromSeconds(2));
            return status;
        }
        finally
        {
            relay?.Stop();
            rawMode?.Dispose();
            if (child is not null)
            {
                await child.DisposeAsync().ConfigureAwait(false);
                if (SessionReaper.EndOrphans(TimeSpan.FromSeconds(1)) is var orphans and > 0)
                {
                    Console.Error.WriteLine($"nono: ended {orphans} background process(es) the command left running");
                }
            }

            foreach (var bridge in bridges)
            {
                await bridge.DisposeAsync().ConfigureAwait(false);
            }

            if (proxy is not null)
            {
                await proxy.DisposeAsync().ConfigureAwait(false);
            }

            if (audit is not null)
            {
                await audit.DisposeAsync().ConfigureAwait(false);
                foreach (var line in audit.Summary())
                {
                    Console.Error.WriteLine(line);
                }
            }

            terminal?.Dispose();
        }
    }

    private static SandboxPolicy PolicyFor(SessionSettings settings, ProxyHandle? proxy, PseudoTerminal? terminal, string temp, SensitiveHomes homes)
    {
        IReadOnlyList<FsGrant> sessionGrants = proxy?.InterceptCaPath is { } ca ? [FsGrant.File(ca, FsAccess.Read)] : [];
        IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)proxy.Port];
        var profile = settings.CreateSandboxPolicy(ports, sessionGrants);
        var system = LinuxSystemPolicy.BaseGrants(temp, terminal is null ? null : [terminal.ReplicaPath]);
        return SessionPolicy.Compose(profile, system, homes);
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
