using System.Runtime.Versioning;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;

namespace Nono.Supervisor.Session;

/// <summary>
/// `nono run` and `nono shell` on macOS: the same session as on Linux (resolve the settings, start
/// the proxy, spawn `nono __sandbox-exec` with the launch spec, forward signals, relay the PTY, tear
/// everything down and exit with the child's status), with Seatbelt in place of namespaces, Landlock
/// and seccomp. The proxy listens on the host's loopback (ephemeral port, token required) and the
/// profile lets the program reach that port only (<see cref="SeatbeltSessionPlan"/>).
/// </summary>
[SupportedOSPlatform("macos")]
internal static partial class SeatbeltSessionRunner
{
    public static Task<int> RunAsync(SessionRequest request) =>
        SessionFront.RunAsync(request, async session =>
        {
            var context = new SeatbeltContext(session.Host.Home);
            var proxyConfig = session.Settings.NetworkMode == NetworkMode.Proxy ? SeatbeltSessionPlan.ProxyConfigFor(session.Settings, request) : null;
            if (request.DryRun)
            {
                return SeatbeltDryRun.Print(Console.Out, request, session.Settings, proxyConfig, session.Executable, session.Temp, context, session.Host.Accounts);
            }

            return await SuperviseAsync(session, proxyConfig, context).ConfigureAwait(false);
        });
}
