namespace Nono.Sandbox.Linux.Landlock;

/// <summary>One path-beneath rule: <see cref="Rights"/> on <see cref="Path"/> (and below, for a directory).</summary>
internal sealed record LandlockPathRule(string Path, FsRights Rights, bool IsFile);

/// <summary>One TCP port rule.</summary>
internal sealed record LandlockPortRule(ushort Port, NetRights Rights);

/// <summary>
/// What Landlock will enforce for a policy on a kernel with a given ABI: the handled (denied by
/// default) rights, the rules that grant some back, the scopes, and a note for every right the
/// kernel is too old for. Pure: computed identically by --dry-run and by stage 2.
/// </summary>
internal sealed class LandlockPlan
{
    private LandlockPlan(int abi)
    {
        Abi = abi;
    }

    public int Abi { get; }

    public FsRights HandledFs { get; private init; }

    public NetRights HandledNet { get; private init; }

    public ScopeRights Scoped { get; private init; }

    public IReadOnlyList<LandlockPathRule> PathRules { get; private init; } = [];

    public IReadOnlyList<LandlockPortRule> PortRules { get; private init; } = [];

    /// <summary>Rights the policy would use that this kernel cannot enforce (debug notes).</summary>
    public IReadOnlyList<string> Degraded { get; private init; } = [];

    /// <summary>The entries of <see cref="Degraded"/> that leave the child able to do something the
    /// policy means to forbid (rather than forbidding more, or being covered by seccomp or a
    /// namespace). Shown as warnings, not only with -v.</summary>
    public IReadOnlyList<string> Weakened { get; private init; } = [];

    /// <param name="policy">A validated policy.</param>
    /// <param name="abi">The kernel's Landlock ABI (0 when absent).</param>
    /// <param name="networkNamespace">The child gets its own network namespace (abstract sockets of the host are out of reach).</param>
    /// <param name="proxyFallback">Proxy mode without a network namespace: Landlock TCP rules are the only confinement.</param>
    public static LandlockPlan Create(SandboxPolicy policy, int abi, bool networkNamespace, bool proxyFallback)
    {
        if (abi <= 0)
        {
            throw new SandboxUnavailableException(
                "Landlock is not available in this kernel (it needs Linux 5.13 or later with CONFIG_SECURITY_LANDLOCK=y and "
                + "\"landlock\" in the lsm= boot parameter), so nono cannot confine the filesystem. Enable Landlock and try again.");
        }

        var supportedFs = LandlockRights.FsFor(abi);
        var supportedNet = LandlockRights.NetFor(abi);
        var supportedScope = LandlockRights.ScopeFor(abi);
        var degraded = new List<string>();
        var weakened = new List<string>();

        foreach (var right in new[] { FsRights.Refer, FsRights.Truncate, FsRights.IoctlDev })
        {
            if (!supportedFs.HasFlag(right))
            {
                degraded.Add($"{LandlockRights.Name(right)} needs Landlock ABI {LandlockRights.IntroducedIn(right)} (kernel has {abi}): {Consequence(right)}");
            }
        }

        // Without the truncate right a file the policy grants read-only can still be emptied.
        if (!supportedFs.HasFlag(FsRights.Truncate) && policy.Grants.Any(grant => !grant.Access.HasFlag(FsAccess.Write)))
        {
            weakened.Add($"{LandlockRights.Name(FsRights.Truncate)} needs Landlock ABI 3 (kernel has {abi}): files in read-only grants can be truncated (emptied) where file permissions allow it");
        }

        var mode = policy.Network.Mode;
        if (proxyFallback && supportedNet == NetRights.None)
        {
            throw new SandboxUnavailableException(
                $"Without a network namespace the proxy can only be enforced with LANDLOCK_ACCESS_NET_CONNECT_TCP, which needs Landlock ABI 4 "
                + $"(Linux 6.7); this kernel has ABI {abi}. Enable unprivileged user namespaces or upgrade the kernel.");
        }

        if (mode == NetworkMode.Blocked && !networkNamespace && !supportedScope.HasFlag(ScopeRights.AbstractUnixSocket))
        {
            throw new SandboxUnavailableException(
                $"Blocking the network needs LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (Landlock ABI 6, Linux 6.12) or a network namespace, "
                + $"otherwise the child could reach host services on abstract unix sockets; this kernel has ABI {abi} and user namespaces are unavailable. "
                + "Enable unprivileged user namespaces or upgrade the kernel.");
        }

        if (mode != NetworkMode.Host && supportedNet == NetRights.None)
        {
            degraded.Add($"LANDLOCK_ACCESS_NET_CONNECT_TCP/BIND_TCP need ABI 4 (kernel has {abi}): TCP is confined by seccomp{(networkNamespace ? " and the network namespace" : string.Empty)} only");
        }

        if (!supportedScope.HasFlag(ScopeRights.Signal))
        {
            var note = $"LANDLOCK_SCOPE_SIGNAL needs ABI 6 (kernel has {abi}): the child can signal other processes of the same user";
            degraded.Add(note);
            weakened.Add(note);
        }

        if (!supportedScope.HasFlag(ScopeRights.AbstractUnixSocket) && mode != NetworkMode.Blocked)
        {
            var note = $"LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET needs ABI 6 (kernel has {abi}): "
                + (networkNamespace ? "abstract sockets are isolated by the network namespace instead" : "the child can connect to abstract unix sockets of the host");
            degraded.Add(note);
            if (!networkNamespace)
            {
                weakened.Add(note);
            }
        }

        return new LandlockPlan(abi)
        {
            HandledFs = supportedFs,
            HandledNet = mode == NetworkMode.Host ? NetRights.None : supportedNet,
            Scoped = supportedScope,
            PathRules = policy.Grants
                .Select(grant => new LandlockPathRule(grant.Path, RightsFor(grant.Access, grant.Target == FsTarget.File) & supportedFs, grant.Target == FsTarget.File))
                .ToArray(),
            PortRules = mode == NetworkMode.Host || supportedNet == NetRights.None ? [] : PortRulesFor(policy.Network, networkNamespace),
            Degraded = degraded,
            Weakened = weakened,
        };
    }

    /// <summary>The Landlock rights an access level means. Write never includes making device
    /// nodes: no sandboxed program needs that, and it would need a capability anyway.</summary>
    public static FsRights RightsFor(FsAccess access, bool isFile)
    {
        var rights = FsRights.None;
        if (access.HasFlag(FsAccess.Read))
        {
            rights |= FsRights.ReadFile | FsRights.ReadDir;
        }

        if (access.HasFlag(FsAccess.Write))
        {
            rights |= FsRights.WriteFile | FsRights.Truncate | FsRights.IoctlDev | FsRights.RemoveDir | FsRights.RemoveFile
                | FsRights.MakeDir | FsRights.MakeReg | FsRights.MakeSock | FsRights.MakeFifo | FsRights.MakeSym | FsRights.Refer;
        }

        if (access.HasFlag(FsAccess.Execute))
        {
            rights |= FsRights.Execute;
        }

        return isFile ? rights & LandlockRights.FileApplicable : rights;
    }

    /// <param name="networkNamespace">In its own network namespace the program may also connect to the
    /// ports it may bind (its own server, the only thing listening there); on the host's network that
    /// would open the same port of every host service, so there it may only bind them.</param>
    private static LandlockPortRule[] PortRulesFor(NetworkPolicy network, bool networkNamespace)
    {
        if (network.Mode != NetworkMode.Proxy)
        {
            return [];
        }

        var rights = new Dictionary<ushort, NetRights>();
        foreach (var port in network.ProxyPorts.Concat(network.ConnectPorts).Concat(networkNamespace ? network.BindPorts : []))
        {
            rights[port] = rights.GetValueOrDefault(port) | NetRights.ConnectTcp;
        }

        foreach (var port in network.BindPorts)
        {
            rights[port] = rights.GetValueOrDefault(port) | NetRights.BindTcp;
        }

        return rights.OrderBy(pair => pair.Key).Select(pair => new LandlockPortRule(pair.Key, pair.Value)).ToArray();
    }

    private static string Consequence(FsRights right) => right switch
    {
        FsRights.Refer => "renaming or linking files between directories is always refused",
        FsRights.Truncate => "truncate(2) is governed by file permissions only",
        FsRights.IoctlDev => "ioctl(2) on device files is not restricted",
        _ => "not enforced",
    };
}
