using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Supervisor.Persistence;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// The supervised session of `nono run` and `nono shell`: resolve the settings, start the proxy,
/// spawn the sandboxed child, hand its in-namespace listener to the proxy, forward signals, wait,
/// then tear everything down (proxy, trust bundle, temp directory), write the audit log, summarise
/// refused hosts and exit with the child's status.
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class SessionRunner
{
    public const ushort DefaultProxyPort = SessionRequest.DefaultProxyPort;

    /// <summary>Concurrent connections the session's proxy accepts from the program before answering 503.</summary>
    public const int MaxConnections = 4096;

    public static Task<int> RunAsync(SessionRequest request)
    {
        // A session nearly always needs namespaces, and finding out whether they work here starts a
        // process (UserNamespaceTrial): that runs on the other core while the profile is resolved.
        var detection = Task.Run(() =>
        {
            var detected = LinuxHost.Detect();
            _ = detected.UserNamespaces.Available;
            return detected;
        });

        return SessionFront.RunAsync(request, async session =>
        {
            var linux = await detection.ConfigureAwait(false);
            var proxyConfig = session.Settings.NetworkMode == NetworkMode.Proxy ? ProxyConfigFor(session.Settings, request, linux, session.Temp) : null;
            if (request.DryRun)
            {
                return DryRun.Print(request, session.Settings, linux, proxyConfig, session.Executable, session.Temp, session.Host.SensitiveHomes(), PersistenceGuard.HomeOf(session.Host));
            }

            return await SuperviseAsync(session, linux, proxyConfig).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// In a network namespace the proxy has no listener of its own: the child's stage 2 binds
    /// 127.0.0.1:port inside the namespace and hands the socket over. Without user namespaces (the
    /// fallback) the proxy listens on the host's loopback and the child may connect only to that port.
    /// The trust bundle goes inside the session's locked temporary directory, so that a session whose
    /// nono was killed leaves no bundle behind: the next session removes the whole directory.
    /// </summary>
    private static ProxyConfig ProxyConfigFor(SessionSettings settings, SessionRequest request, LinuxHost linux, string sessionTemp)
    {
        var inNamespace = linux.UserNamespaces.Available;
        var config = settings.CreateProxyConfig();
        return config with
        {
            TlsIntercept = config.TlsIntercept is { } tls ? tls with { SessionDirectoryRoot = tls.SessionDirectoryRoot ?? sessionTemp } : null,
            BindAddress = "127.0.0.1",
            BindOwnListener = !inNamespace,
            BindPort = request.ProxyPort ?? (inNamespace ? DefaultProxyPort : 0),

            // One program's connections (a package manager opens many at once); each costs a few KiB.
            MaxConnections = MaxConnections,
        };
    }
}
