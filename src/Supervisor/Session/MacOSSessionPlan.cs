using System.Globalization;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// The macOS sandbox of a supervised session: the profile's policy with the session's own grants
/// (its temporary directory), the credentials under $HOME denied, and the Seatbelt profile that
/// enforces it. Pure (no process, no proxy), so `--dry-run` and tests on any system produce exactly
/// what stage 2 would apply on a Mac.
/// </summary>
/// <remarks>
/// Network: macOS has no network namespaces. In proxy mode the proxy listens on the host's
/// 127.0.0.1 on an ephemeral port and requires the session token; the profile lets the program open
/// TCP connections to localhost on that port (and the --allow-connect-port ports) and nothing else.
/// </remarks>
internal sealed record MacOSSessionPlan(SandboxPolicy Policy, string Profile)
{
    /// <exception cref="SandboxUnavailableException">--require-isolation in proxy mode: there is no
    /// network namespace on macOS to isolate the proxy's port in.</exception>
    /// <exception cref="PolicyException">The policy contradicts itself or cannot be expressed.</exception>
    public static MacOSSessionPlan Create(
        SessionSettings settings, IReadOnlyList<ushort> proxyPorts, IReadOnlyList<FsGrant> sessionGrants, string temp, SeatbeltContext context, UserAccounts? accounts = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        if (settings.RequireIsolation && settings.NetworkMode == NetworkMode.Proxy)
        {
            throw new SandboxUnavailableException(
                "--require-isolation asks for a network namespace, which macOS does not have: the proxy would listen on the host's " +
                "loopback and Seatbelt would limit the program to that port. Drop --require-isolation to accept that.");
        }

        var profilePolicy = settings.CreateSandboxPolicy(proxyPorts, sessionGrants);
        var policy = SessionPolicy.Compose(
            profilePolicy, SystemGrants(temp), SensitiveHomes.For(PathUtil.Normalize(context.Home, "/"), accounts ?? UserAccounts.None));
        return new MacOSSessionPlan(policy, SeatbeltSandbox.GenerateProfile(policy, context));
    }

    /// <summary>
    /// The proxy listens on the host's 127.0.0.1 itself (there is no namespace to hand a listener
    /// over from), on an ephemeral port unless --proxy-port names one, and requires the session token:
    /// other local programs can connect to it but get nothing without the token.
    /// </summary>
    internal static ProxyConfig ProxyConfigFor(SessionSettings settings, SessionRequest request) =>
        settings.CreateProxyConfig() with
        {
            BindAddress = "127.0.0.1",
            BindOwnListener = true,
            BindPort = request.ProxyPort ?? 0,
            RequireAuth = true,
            MaxConnections = SessionRequest.MaxProxyConnections,
        };

    /// <summary>What every session needs beyond the generated profile's own system baseline (which
    /// already covers the system's software, configuration, devices and the PTY replicas).</summary>
    public static IReadOnlyList<FsGrant> SystemGrants(string temp) => [FsGrant.Directory(temp, FsAccess.ReadWrite)];

    /// <summary>The dry-run description: the network arrangement, grants and denies, then the profile itself.</summary>
    public IEnumerable<string> Describe()
    {
        var network = Policy.Network;
        yield return "sandbox: Seatbelt (sandbox_init in `nono __sandbox-exec` before execve; no namespaces on macOS)";
        yield return network.Mode switch
        {
            NetworkMode.Proxy => $"network: proxy only: TCP to localhost:{Ports(network.ProxyPorts)} on the host's loopback" +
                (network.ConnectPorts.Count > 0 ? $", and localhost:{Ports(network.ConnectPorts)}" : string.Empty),
            NetworkMode.Host => "network: host (no restriction)",
            _ => "network: blocked" + (network.ConnectPorts.Count > 0 ? $" except localhost:{Ports(network.ConnectPorts)}" : string.Empty),
        };
        foreach (var grant in Policy.Grants)
        {
            yield return $"grant: {grant.Path} ({grant.Access.ToString().ToLowerInvariant()}{(grant.Target == FsTarget.File ? ", file" : string.Empty)})";
        }

        foreach (var deny in Policy.Denies)
        {
            yield return $"deny: {deny}";
        }

        yield return "profile:";
        foreach (var line in Profile.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return "  " + line;
        }
    }

    private static string Ports(IReadOnlyList<ushort> ports) =>
        string.Join(",", ports.Select(port => port.ToString(CultureInfo.InvariantCulture)));
}
