using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Policy;

namespace Nono.Supervisor.Session;

/// <summary>
/// The Linux sandbox of a supervised session: the profile's policy with the system's base grants
/// (/etc entry by entry, the terminal, the session's temp directory), the session's own grants
/// (the interception CA) and the credentials under $HOME denied; and where the proxy listens.
/// Pure apart from reading the file system, so `--dry-run` plans exactly what the launch enforces.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxSessionPlan
{
    /// <param name="proxyPort">The port the child reaches the proxy on; null without a proxy.</param>
    /// <param name="caPath">The interception CA bundle the child must read; null without interception.</param>
    /// <param name="replica">The PTY replica of `nono shell`; null: the terminals on nono's own stdio.</param>
    public static SandboxPolicy Policy(ResolvedSession session, ushort? proxyPort, string? caPath, string? replica)
    {
        IReadOnlyList<FsGrant> sessionGrants = caPath is null ? [] : [FsGrant.File(caPath, FsAccess.Read)];
        IReadOnlyList<ushort> ports = proxyPort is { } port ? [port] : [];
        var profile = session.Settings.CreateSandboxPolicy(ports, sessionGrants);
        var system = LinuxSystemPolicy.BaseGrants(session.Temp, replica is null ? (session.Request.Terminal ? [] : null) : [replica]);
        var homes = session.Host.SensitiveHomes();
        return SessionPolicy.KeepPlantedCommandsReadOnly(SessionPolicy.Compose(profile, system, homes), homes);
    }

    /// <summary>
    /// In a network namespace the proxy has no listener of its own: the child's stage 2 binds
    /// 127.0.0.1:port inside the namespace and hands the socket over. Without user namespaces (the
    /// fallback) the proxy listens on the host's loopback and the child may connect only to that port.
    /// The trust bundle goes inside the session's locked temporary directory, so that a session whose
    /// nono was killed leaves no bundle behind: the next session removes the whole directory.
    /// </summary>
    public static ProxyConfig ProxyConfigFor(Profiles.SessionSettings settings, SessionRequest request, LinuxHost linux, string sessionTemp)
    {
        var inNamespace = linux.UserNamespaces.Available;
        var config = settings.CreateProxyConfig();
        return config with
        {
            TlsIntercept = config.TlsIntercept is { } tls ? tls with { SessionDirectoryRoot = tls.SessionDirectoryRoot ?? sessionTemp } : null,
            BindAddress = "127.0.0.1",
            BindOwnListener = !inNamespace,
            BindPort = request.ProxyPort ?? (inNamespace ? SessionRequest.DefaultProxyPort : 0),
            MaxConnections = SessionRequest.MaxProxyConnections,
        };
    }
}
