namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Network rules. Seatbelt can name only `localhost` or `*` as an address, which is what nono needs:
/// in proxy mode the child may open TCP connections to the supervisor's proxy port on loopback (and to
/// the policy's extra loopback ports) and nothing else; blocked allows no IP socket at all; host
/// allows everything. Unix sockets may be bound and reached only inside the policy's writable grants.
/// </summary>
internal static class NetworkRules
{
    public static void Write(ProfileWriter profile, NetworkPolicy network, FilesystemPlan plan)
    {
        if (network.Mode == NetworkMode.Host)
        {
            profile.Comment("network: host (no restriction)");
            profile.AllowAll("system-socket");
            profile.AllowAll("network*");
            profile.Blank();
            return;
        }

        profile.Comment(network.Mode == NetworkMode.Proxy
            ? "network: only the proxy and the listed loopback ports"
            : "network: blocked, apart from the listed loopback ports");

        var writable = plan.Grants
            .Where(grant => grant.Grant.Access.HasFlag(FsAccess.Write))
            .SelectMany(grant => grant.Spellings)
            .ToList();
        profile.Allow("system-socket", "(socket-domain AF_UNIX)");
        profile.Allow("network-bind", writable.Select(path => $"(local unix-socket {Sbpl.Subpath(path)})"));
        profile.Allow("network-outbound", writable.Select(path => $"(remote unix-socket {Sbpl.Subpath(path)})"));

        var connect = network.ProxyPorts.Concat(network.ConnectPorts).Distinct().ToList();
        var bind = network.BindPorts.Distinct().ToList();
        if (connect.Count > 0 || bind.Count > 0)
        {
            profile.Allow("system-socket", "(socket-domain AF_INET)", "(socket-domain AF_INET6)");
        }

        profile.Allow("network-outbound", connect.Select(port => $"(remote tcp {Sbpl.Quote($"localhost:{port}")})"));
        profile.Allow("network-bind network-inbound", bind.Select(port => $"(local tcp {Sbpl.Quote($"localhost:{port}")})"));
        profile.Blank();
    }

    /// <summary>
    /// Unix sockets that reach credentials (gpg-agent under ~/.gnupg, the launchd-managed ssh-agent
    /// socket), refused whatever the grants. Only denied paths where a socket rule above could reach
    /// them are listed: everywhere in host mode, inside writable grants otherwise.
    /// </summary>
    public static void WriteDenies(ProfileWriter profile, NetworkPolicy network, FilesystemPlan plan)
    {
        var writable = plan.Grants
            .Where(grant => grant.Grant.Access.HasFlag(FsAccess.Write))
            .SelectMany(grant => grant.Spellings)
            .ToList();
        var filters = plan.Denies
            .Where(deny => network.Mode == NetworkMode.Host
                || deny.Spellings.Any(path => writable.Any(root => PathSpellings.IsSameOrBelowAnyCase(path, root))))
            .SelectMany(deny => deny.Spellings.Select(Sbpl.Subpath)
                .Concat(deny.Spellings.Select(path => $"(path-regex {Sbpl.Quote(CaseFoldPattern.Subtree(path))})")))
            .ToList();

        profile.Comment("no unix sockets under denied paths, nor the launchd-managed ssh-agent socket");
        profile.Deny("network-bind", filters.Select(filter => $"(local unix-socket {filter})"));
        profile.Deny(
            "network-outbound",
            filters.Select(filter => $"(remote unix-socket {filter})")
                .Append("(remote unix-socket (path-regex \"^/private/tmp/com[.]apple[.]launchd[.]\"))"));
    }
}
