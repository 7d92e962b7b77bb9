using System.Globalization;
using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;

namespace Nono.Supervisor.Session;

/// <summary>
/// `--dry-run` of a supervised session on Linux: the plan <see cref="LinuxSession"/> would launch
/// (made by the same <see cref="LinuxSessionPlan"/> and <see cref="LinuxLaunchPlan"/>), and the proxy
/// summary shared with macOS. Nothing is started and no credential is loaded.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxDryRun
{
    public static int Print(ResolvedSession session, LinuxHost linux, ProxyConfig? proxy)
    {
        ushort? port = proxy is null ? null : (ushort)(proxy.BindPort == 0 ? SessionRequest.DefaultProxyPort : proxy.BindPort);
        var policy = LinuxSessionPlan.Policy(session, port, caPath: null, replica: null);
        policy = policy with { SessionCopies = SessionFileCopies.Plan(policy, session.Host.SensitiveHomes(), session.Temp) };
        var plan = LinuxLaunchPlan.Create(policy, linux, supervised: true);
        var output = Console.Out;
        DryRunSandbox.Print(output, session.Request, session.Settings, session.Executable, plan.Describe());
        foreach (var warning in plan.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        var where = proxy is null || proxy.BindOwnListener
            ? "127.0.0.1 on the host (no network namespace), port chosen at start"
            : $"127.0.0.1:{proxy.BindPort.ToString(CultureInfo.InvariantCulture)} inside the program's network namespace";
        return DryRunProxy.Print(output, session.Request, session.Settings, proxy, where);
    }
}
