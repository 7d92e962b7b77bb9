using System.Globalization;
using Nono.Proxy;
using Nono.Sandbox.MacOS;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// `--dry-run` of a supervised session on macOS: the resolved Seatbelt sandbox, the profile text
/// stage 2 would apply, and the proxy summary shared with Linux. Nothing is started and no
/// credential is loaded. Works on any system, so tests can check a Mac's plan anywhere.
/// </summary>
internal static class MacOSDryRun
{
    public static int Print(TextWriter output, SessionRequest request, SessionSettings settings, ProxyConfig? proxy, string executable, string temp, SeatbeltContext context, UserAccounts? accounts = null)
    {
        // The real port is known once the proxy listens; the profile then names it where this shows the placeholder.
        var port = proxy is null ? (ushort?)null : (ushort)(proxy.BindPort == 0 ? SessionRequest.DefaultProxyPort : proxy.BindPort);
        var plan = MacOSSessionPlan.Create(settings, port is { } p ? [p] : [], [], temp, context, accounts);
        DryRunSandbox.Print(output, request, settings, executable, plan.Describe());

        var where = proxy is null || proxy.BindPort == 0
            ? $"127.0.0.1 on the host, ephemeral port chosen at start (shown as {SessionRequest.DefaultProxyPort.ToString(CultureInfo.InvariantCulture)} above)"
            : $"127.0.0.1:{proxy.BindPort.ToString(CultureInfo.InvariantCulture)} on the host";
        return DryRunProxy.Print(output, request, settings, proxy, where);
    }
}
