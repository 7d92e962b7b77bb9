namespace Nono.Sandbox;

/// <summary>
/// Everything the kernel is asked to enforce for one child: filesystem grants, denied paths inside
/// those grants, and the network mode. Platform-neutral; each platform project turns it into its own
/// mechanism (Landlock + seccomp + namespaces, or Seatbelt).
/// </summary>
public sealed record SandboxPolicy
{
    public IReadOnlyList<FsGrant> Grants { get; init; } = [];

    /// <summary>Absolute paths the child must not see even when a grant covers them.</summary>
    public IReadOnlyList<string> Denies { get; init; } = [];

    /// <summary>Paths inside writable grants that the child may read but never change (see
    /// <see cref="PlantedCommandPaths"/>): where the platform cannot enforce this it refuses to run.</summary>
    public IReadOnlyList<ReadOnlyPath> ReadOnly { get; init; } = [];

    /// <summary>Files inside writable grants that the child sees as a private copy for the session (see
    /// <see cref="SessionCopy"/>): where the platform cannot enforce this it refuses to run.</summary>
    public IReadOnlyList<SessionCopy> SessionCopies { get; init; } = [];

    public NetworkPolicy Network { get; init; } = NetworkPolicy.Blocked;

    /// <summary>Refuse to run rather than fall back to a weaker network confinement.</summary>
    public bool RequireIsolation { get; init; }

    /// <summary>
    /// Let the child create unix-domain sockets of its own (to connect or listen by path or abstract
    /// name). Off by default: Landlock does not govern connecting to an existing socket by path, so a
    /// child that may create one can reach the session D-Bus, ssh-agent or docker.sock of the host and
    /// leave its sandbox through them. Connected pairs (socketpair) are always allowed.
    /// </summary>
    public bool AllowUnixSockets { get; init; }

    /// <summary>Checks the invariants every platform relies on; throws <see cref="PolicyException"/>.</summary>
    public void Validate()
    {
        foreach (var grant in Grants)
        {
            RequireAbsolute(grant.Path, "grant");
            if (grant.Access == FsAccess.None)
            {
                throw new PolicyException($"The grant for '{grant.Path}' allows nothing; give it read, write or execute.");
            }
        }

        foreach (var deny in Denies)
        {
            RequireAbsolute(deny, "deny");
        }

        foreach (var path in ReadOnly)
        {
            RequireAbsolute(path.Path, "read-only");
        }

        foreach (var copy in SessionCopies)
        {
            RequireAbsolute(copy.Path, "session copy");
            RequireAbsolute(copy.CopyPath, "session copy");
        }

        if (Network.Mode == NetworkMode.Proxy && Network.ProxyPorts.Count == 0)
        {
            throw new PolicyException("Proxy network mode needs at least one proxy port.");
        }

        if (Network.Mode != NetworkMode.Proxy && Network.ProxyPorts.Count > 0)
        {
            throw new PolicyException($"Proxy ports were given but the network mode is {Network.Mode}.");
        }

        foreach (var port in Network.ProxyPorts.Concat(Network.ConnectPorts).Concat(Network.BindPorts))
        {
            if (port == 0)
            {
                throw new PolicyException("Port 0 is not a valid port in a sandbox policy.");
            }
        }
    }

    private static void RequireAbsolute(string path, string what)
    {
        if (string.IsNullOrEmpty(path) || !System.IO.Path.IsPathFullyQualified(path))
        {
            throw new PolicyException($"The {what} path '{path}' is not absolute.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new PolicyException($"The {what} path contains a NUL byte.");
        }
    }
}
