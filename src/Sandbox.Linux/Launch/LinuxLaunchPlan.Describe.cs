using Nono.Sandbox.Linux.Landlock;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>The human-readable account of a plan, printed by --dry-run.</summary>
public sealed partial class LinuxLaunchPlan
{
    public IEnumerable<string> Describe()
    {
        var policy = Policy;
        yield return "network: " + policy.Network.Mode switch
        {
            NetworkMode.Blocked => "blocked (seccomp refuses AF_INET/AF_INET6 sockets; Landlock denies TCP bind/connect)",
            NetworkMode.Host => "host (no network restriction)",
            _ when ProxyFallback => $"proxy FALLBACK without a network namespace (TCP connect only to port(s) {Ports()})",
            _ => $"proxy (own network namespace; listeners on 127.0.0.1:{Ports()} handed to the supervisor)",
        };

        yield return UseNamespaces
            ? $"namespaces: user{(NetworkNamespace ? " + net" : string.Empty)}{(MountNamespace ? " + mount" : string.Empty)} + ipc{(PidNamespace ? " + pid" : string.Empty)}: {string.Join(' ', UnshareCommand())} nono __sandbox-exec <fd>"
            : "namespaces: none (the sandbox is applied in the nono process, which then executes the command)";
        if (UseNamespaces)
        {
            yield return Host.UserNamespaces.KeepCaps
                ? "identity: your own uid/gid, mapped into the new user namespace; every capability dropped before exec"
                : "identity: uid 0 of the new user namespace (--map-root-user: unshare has no --keep-caps); every capability and the bounding set dropped before exec";
        }

        var landlock = Landlock;
        yield return $"landlock: ABI {landlock.Abi}";
        yield return $"  handled filesystem rights: {LandlockRights.Describe(landlock.HandledFs)}";
        yield return "  handled network rights: " + NetNames(landlock.HandledNet);
        yield return "  scopes: " + ScopeNames(landlock.Scoped);
        yield return "grants:";
        // PathRules are built from Grants one for one, in order.
        var etc = landlock.PathRules.Count(rule => rule.Path.StartsWith("/etc/", StringComparison.Ordinal));
        foreach (var (grant, rule) in policy.Grants.Zip(landlock.PathRules))
        {
            if (!rule.Path.StartsWith("/etc/", StringComparison.Ordinal))
            {
                yield return $"  {grant}  [{LandlockRights.Describe(rule.Rights)}]";
            }
        }

        if (etc > 0)
        {
            yield return $"  r-- /etc: {etc} entries, one rule each (world-readable entries only; shadow, sudoers, private keys and similar are left out)";
        }

        foreach (var port in landlock.PortRules)
        {
            yield return $"  tcp port {port.Port}: {NetNames(port.Rights)}";
        }

        yield return "masked (denied inside a grant): " + (Masks.Count == 0 ? "none" : string.Empty);
        foreach (var mask in Masks)
        {
            yield return $"  {mask}";
        }

        yield return "read-only inside writable grants: " + (policy.ReadOnly.Count == 0 ? "none" : string.Empty);
        foreach (var entry in policy.ReadOnly)
        {
            yield return $"  {entry.Path}: {entry.Reason}";
        }

        yield return "private copy for the session (bound over the file): " + (policy.SessionCopies.Count == 0 ? "none" : string.Empty);
        foreach (var copy in policy.SessionCopies)
        {
            yield return $"  {copy.Path}: {copy.Reason}";
        }

        var unmasked = policy.Denies.Where(deny => Masks.All(mask => mask.Path != deny)).ToArray();
        if (unmasked.Length > 0)
        {
            yield return "denied (outside every grant or absent, nothing to mount): " + string.Join(", ", unmasked);
        }

        var table = SyscallTable.Current;
        yield return $"seccomp: {table?.Name}; EPERM for {string.Join(' ', SeccompProgram.DeniedSyscalls)}, ioctl TIOCSTI/TIOCLINUX, "
            + "unshare/clone with CLONE_NEWUSER; ENOSYS for clone3; foreign architectures killed";
        var unix = Policy.AllowUnixSockets
            ? "AF_UNIX"
            : "socketpair(AF_UNIX) stream/seqpacket only (no datagram pair, no unix socket by path or name; --allow-unix-sockets allows them)";
        yield return "  sockets: " + SocketRule switch
        {
            SocketRule.UnixOnly => unix,
            SocketRule.UnixAndInetTcpOnly => $"{unix}; AF_INET/AF_INET6 TCP streams only",
            _ => $"{unix}; AF_INET, AF_INET6",
        };
        var guards = Guards(ownTerminal: false);
        if (PidNamespace)
        {
            yield return "  processes: own PID namespace and /proc; the program runs under a stage-2 init that ends every process in it when the program exits or nono dies";
        }

        if (guards.HasFlag(HostGuards.SysVIpc))
        {
            yield return "  no IPC namespace: EPERM for SysV IPC (" + string.Join(' ', SeccompProgram.SysVIpcSyscalls) + ")";
        }

        if (guards.HasFlag(HostGuards.OtherProcesses))
        {
            yield return "  no PID namespace: EPERM for prlimit64 setting another pid's limits, setpriority/ioprio_set/sched_set* on any pid but 0";
        }

        if (guards.HasFlag(HostGuards.TerminalForeground))
        {
            yield return "  no PID namespace: EPERM for ioctl TIOCSPGRP on a shared terminal (no job control inside)";
        }

        foreach (var note in Notes)
        {
            yield return $"not enforced here: {note}";
        }

        foreach (var warning in Warnings)
        {
            yield return warning;
        }
    }

    private static string NetNames(NetRights rights) => rights == NetRights.None
        ? "none"
        : string.Join(' ', new[] { (NetRights.BindTcp, "bind_tcp"), (NetRights.ConnectTcp, "connect_tcp") }
            .Where(pair => rights.HasFlag(pair.Item1)).Select(pair => pair.Item2));

    private static string ScopeNames(ScopeRights scopes) => scopes == ScopeRights.None
        ? "none"
        : string.Join(' ', new[] { (ScopeRights.AbstractUnixSocket, "abstract_unix_socket"), (ScopeRights.Signal, "signal") }
            .Where(pair => scopes.HasFlag(pair.Item1)).Select(pair => pair.Item2));

    private string Ports() => string.Join(", ", Policy.Network.ProxyPorts.Concat(Policy.Network.ConnectPorts));
}
