using Nono.Sandbox;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono wrap` resolves its flags (and its --profile, if any) through <see cref="SessionResolver"/>,
/// the resolver of `run`, `shell` and `proxy`, so that a grant gets the same answer from every
/// command. This puts the result together with the platform's system grants. wrap has no proxy: the
/// network is blocked unless --allow-net gives the host's.
/// </summary>
internal static class WrapPolicyBuilder
{
    /// <summary>The wrap form of a resolved session: proxy mode (no proxy to route through) becomes blocked.</summary>
    public static SessionSettings WithoutProxy(SessionSettings settings)
    {
        if (settings.NetworkMode != NetworkMode.Proxy)
        {
            return settings;
        }

        var notices = settings.Notices.ToList();
        if (settings.Proxy.AllowedHosts.Count > 0 || settings.Proxy.Routes.Count > 0)
        {
            notices.Add("wrap has no proxy, so the profile's allowed hosts and credentials are not reachable and the network is blocked; use 'nono run' for filtered network access, or --allow-net for the host's network");
        }

        return settings with { NetworkMode = NetworkMode.Blocked, Notices = notices };
    }

    public static SandboxPolicy Build(SessionSettings settings, IReadOnlyList<FsGrant> systemGrants, SensitiveHomes homes) =>
        SessionPolicy.Compose(WithoutProxy(settings).CreateSandboxPolicy(), systemGrants, homes);
}
