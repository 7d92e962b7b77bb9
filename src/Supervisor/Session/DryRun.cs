using System.Globalization;
using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;
using Nono.Sandbox.Persistence;
using Nono.Supervisor.Persistence;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// `--dry-run` of a supervised session: the resolved sandbox and a summary of the proxy it would
/// start. Nothing is started and no credential is loaded, so no secret can appear: routes show where
/// their credential would come from only by scheme and name (env://NAME, file://PATH).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DryRun
{
    public static int Print(SessionRequest request, SessionSettings settings, LinuxHost linux, ProxyConfig? proxy, string executable, string temp, SensitiveHomes homes, HomeLocations home)
    {
        IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)(proxy.BindPort == 0 ? SessionRunner.DefaultProxyPort : proxy.BindPort)];
        var policy = SessionPolicy.KeepPlantedCommandsReadOnly(
            SessionPolicy.Compose(settings.CreateSandboxPolicy(ports, []), LinuxSystemPolicy.BaseGrants(temp, request.Terminal ? [] : null), homes), homes);
        policy = policy with { SessionCopies = SessionFileCopies.Plan(policy, homes, temp) };
        var (protectedPolicy, watched) = PersistenceGuard.Protect(policy, home, request.AllowPersistence);
        var plan = LinuxLaunchPlan.Create(protectedPolicy, linux, supervised: true);
        var output = Console.Out;
        DryRunSandbox.Print(output, request, settings, executable, PersistenceGuard.WithWatched(plan.Describe(), watched));

        foreach (var warning in plan.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        var where = proxy is null || proxy.BindOwnListener
            ? "127.0.0.1 on the host (no network namespace), port chosen at start"
            : $"127.0.0.1:{proxy.BindPort.ToString(CultureInfo.InvariantCulture)} inside the program's network namespace";
        return DryRunProxy.Print(output, request, settings, proxy, where);
    }
}
