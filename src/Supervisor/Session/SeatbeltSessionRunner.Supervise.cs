using Microsoft.Win32.SafeHandles;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Sandbox.MacOS.Launch;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Terminal;

namespace Nono.Supervisor.Session;

internal static partial class SeatbeltSessionRunner
{
    /// <remarks>
    /// There is no parent-death signal on macOS, so every exit path of this method ends in the
    /// finally block that kills and reaps the child (<see cref="SeatbeltProcess.DisposeAsync"/>);
    /// SIGINT, SIGTERM, SIGHUP and SIGQUIT are owned by the forwarder, so they reach the child and the
    /// session still tears down. Only SIGKILL of nono leaves the child running (see
    /// <see cref="SeatbeltLauncher"/> for what it can still do then).
    /// </remarks>
    private static async Task<int> SuperviseAsync(
        SessionRequest request, SessionSettings settings, ProxyConfig? proxyConfig, string executable, string temp, HostEnvironment host, SeatbeltContext context)
    {
        ProxyHandle? proxy = null;
        AuditReport? audit = null;
        PseudoTerminal? terminal = null;
        RawModeScope? rawMode = null;
        PtyRelay? relay = null;
        SeatbeltProcess? child = null;

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

            IReadOnlyList<FsGrant> sessionGrants = proxy?.InterceptCaPath is { } ca ? [FsGrant.File(ca, FsAccess.Read)] : [];
            IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)proxy.Port];
            var plan = SeatbeltSessionPlan.Create(settings, ports, sessionGrants, temp, context, host.Accounts);
            if (request.Verbose)
            {
                Console.Error.WriteLine($"nono: debug: Seatbelt profile of {plan.Profile.Length} characters; proxy on 127.0.0.1:{(proxy is null ? "-" : proxy.Port)}");
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
                ControllingTerminal = terminal is not null,
                Verbose = request.Verbose,
            }).ConfigureAwait(false);
            Volatile.Write(ref child, started);
            if (Interlocked.Exchange(ref pending, 0) is var early and not 0)
            {
                started.Signal(early);
            }

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
}
