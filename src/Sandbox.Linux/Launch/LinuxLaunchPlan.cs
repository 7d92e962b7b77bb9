using Nono.Sandbox.Linux.Landlock;
using Nono.Sandbox.Linux.Namespaces;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// How a policy will be enforced on this machine: which namespaces the child gets (and so whether
/// the unshare trampoline is needed), what Landlock enforces at the kernel's ABI, which paths are
/// masked, which seccomp socket rule applies, and every fallback or degradation. Creating a plan
/// is where nono refuses to run (<see cref="SandboxUnavailableException"/>,
/// <see cref="PolicyException"/>) rather than run with less confinement than asked for.
/// </summary>
public sealed partial class LinuxLaunchPlan
{
    private LinuxLaunchPlan(SandboxPolicy policy, LinuxHost host, LandlockPlan landlock)
    {
        Policy = policy;
        Host = host;
        Landlock = landlock;
    }

    public SandboxPolicy Policy { get; }

    public LinuxHost Host { get; }

    /// <summary>The child starts in its own user namespace through unshare(1).</summary>
    public bool UseNamespaces => NetworkNamespace || MountNamespace || PidNamespace;

    /// <summary>The child gets its own SysV IPC namespace: always, whenever it gets a user namespace.</summary>
    public bool IpcNamespace => UseNamespaces;

    /// <summary>The program runs in its own PID namespace under a small init (stage 2, pid 1), which
    /// ends every process in it when the program exits or the supervisor dies (supervised sessions
    /// only: `wrap` has no supervisor to outlive the program).</summary>
    public bool PidNamespace { get; private init; }

    /// <summary>The child gets its own network namespace (only `lo`, plus listeners handed to the supervisor).</summary>
    public bool NetworkNamespace { get; private init; }

    /// <summary>The child gets its own mount namespace, where <see cref="Masks"/> are mounted.</summary>
    public bool MountNamespace { get; private init; }

    /// <summary>Proxy mode without namespaces. The supervisor must itself listen on 127.0.0.1 at every
    /// proxy and connect port, because no listener is handed over; the child can reach those ports
    /// on any address.</summary>
    public bool ProxyFallback { get; private init; }

    /// <summary>Denied paths inside grants, hidden by mounts in the child's mount namespace.</summary>
    public IReadOnlyList<PathMask> Masks { get; private init; } = [];

    /// <summary>Things the user must be told on stderr before the child runs (weaker confinement).</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>Debug notes: rights this kernel cannot enforce and why that is acceptable.</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>Ports whose listeners stage 2 creates inside the network namespace and hands over.</summary>
    public IReadOnlyList<ushort> HandedOverPorts { get; private init; } = [];

    internal LandlockPlan Landlock { get; }

    internal SocketRule SocketRule { get; private init; }

    /// <summary>What seccomp must refuse because no namespace separates the program from the host's processes.</summary>
    internal HostGuards Guards(bool ownTerminal) => GuardsFor(IpcNamespace, PidNamespace, ownTerminal);

    internal static HostGuards GuardsFor(bool ipcNamespace, bool pidNamespace, bool ownTerminal) =>
        (ipcNamespace ? HostGuards.None : HostGuards.SysVIpc)
        | (pidNamespace ? HostGuards.None : HostGuards.OtherProcesses)
        | (pidNamespace || ownTerminal ? HostGuards.None : HostGuards.TerminalForeground);

    /// <summary>Plans <paramref name="policy"/> for <paramref name="host"/> (detected when null).
    /// <paramref name="supervised"/>: a supervisor stays alive for the session (`run`, `shell`), so the
    /// program gets a PID namespace whenever user namespaces work.</summary>
    public static LinuxLaunchPlan Create(SandboxPolicy policy, LinuxHost? host = null, bool supervised = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        host ??= LinuxHost.Detect();
        if (host.Architecture is null)
        {
            throw new SandboxUnavailableException(
                "nono's seccomp filter supports x86_64 and aarch64 only; this CPU architecture cannot be sandboxed.");
        }

        var masks = PathMasks.Compute(policy);
        var userns = host.UserNamespaces;
        var mode = policy.Network.Mode;
        var warnings = new List<string>();
        var notes = new List<string>();

        if (masks.Count > 0 && !userns.Available)
        {
            throw new SandboxUnavailableException(
                $"Denied paths inside granted directories ({string.Join(", ", masks.Select(mask => mask.Path))}) can only be hidden in a "
                + $"mount namespace, and user namespaces are unavailable: {userns.UnavailableReason}. "
                + "Enable user namespaces, or narrow the grant so that it does not cover those paths.");
        }

        if (policy.ReadOnly.Count > 0 && !userns.Available)
        {
            throw new SandboxUnavailableException(ReadOnlyNeedsNamespace(policy, userns.UnavailableReason));
        }

        if (policy.SessionCopies.Count > 0 && !userns.Available)
        {
            throw new SandboxUnavailableException(
                $"Files that hold commands other programs run later ({string.Join(", ", policy.SessionCopies.Select(copy => copy.Path))}) lie inside "
                + $"writable grants and can only be given to the program as a private copy in a mount namespace, and user namespaces are unavailable: "
                + $"{userns.UnavailableReason}. Enable user namespaces, or grant those files read-only.");
        }

        var networkNamespace = NetworkNamespaceFor(mode, host);
        var proxyFallback = mode == NetworkMode.Proxy && !userns.Available;
        if (proxyFallback)
        {
            if (policy.RequireIsolation)
            {
                throw new SandboxUnavailableException(
                    $"Isolation was required, but the child cannot get its own network namespace: user namespaces are unavailable "
                    + $"({userns.UnavailableReason}). Enable user namespaces, or drop --require-isolation to accept the weaker fallback.");
            }

            var ports = string.Join(", ", policy.Network.ProxyPorts.Concat(policy.Network.ConnectPorts));
            warnings.Add(
                $"WARNING: user namespaces are unavailable ({userns.UnavailableReason}), so the sandboxed program shares the host's network. "
                + $"Landlock lets it open TCP connections only to port(s) {ports} - on ANY address, not only the proxy - and seccomp allows "
                + "only TCP and unix sockets (no UDP, no DNS). Use --require-isolation to refuse to run like this.");
        }

        if (mode == NetworkMode.Blocked && networkNamespace)
        {
            notes.Add("Landlock ABI < 6 cannot scope abstract unix sockets; a network namespace isolates them instead");
        }

        var landlock = LandlockPlan.Create(policy, host.LandlockAbi, networkNamespace, proxyFallback);
        if (policy.RequireIsolation && landlock.Degraded.Count > 0)
        {
            throw new SandboxUnavailableException(
                $"Isolation was required, but this kernel (Landlock ABI {host.LandlockAbi}) cannot enforce everything: "
                + $"{string.Join("; ", landlock.Degraded)}. Upgrade the kernel, or drop --require-isolation.");
        }

        notes.AddRange(landlock.Degraded);
        warnings.AddRange(landlock.Weakened.Select(weakness =>
            $"WARNING: this kernel cannot enforce all of the sandbox: {weakness}. Use --require-isolation to refuse to run like this."));
        if ((networkNamespace || masks.Count > 0 || policy.ReadOnly.Count > 0) && !userns.KeepCaps)
        {
            notes.Add("unshare has no --keep-caps: the child is uid 0 of its user namespace (--map-root-user), with every capability dropped");
        }

        // --kill-child is older than --keep-caps, so an unshare that knows the one knows the other.
        var pidNamespace = supervised && userns.Available && userns.KeepCaps;
        return new LinuxLaunchPlan(policy, host, landlock)
        {
            NetworkNamespace = networkNamespace,
            PidNamespace = pidNamespace,

            // A PID namespace needs a /proc of its own, mounted in a mount namespace.
            MountNamespace = masks.Count > 0 || pidNamespace || policy.ReadOnly.Count > 0 || policy.SessionCopies.Count > 0,
            ProxyFallback = proxyFallback,
            Masks = masks,
            Warnings = warnings,
            Notes = notes,
            HandedOverPorts = networkNamespace
                ? policy.Network.ProxyPorts.Concat(policy.Network.ConnectPorts).Distinct().ToArray()
                : [],
            SocketRule = mode switch
            {
                NetworkMode.Blocked => SocketRule.UnixOnly,
                NetworkMode.Proxy when proxyFallback => SocketRule.UnixAndInetTcpOnly,
                _ => SocketRule.UnixAndInet,
            },
        };
    }

    /// <summary>
    /// Whether a launch in <paramref name="mode"/> gets a network namespace on <paramref name="host"/>:
    /// in proxy mode whenever user namespaces work; blocked, only where Landlock (ABI below 6) cannot
    /// scope abstract unix sockets itself.
    /// </summary>
    internal static bool NetworkNamespaceFor(NetworkMode mode, LinuxHost host) =>
        host.UserNamespaces.Available && mode switch
        {
            NetworkMode.Proxy => true,
            NetworkMode.Blocked => host.LandlockAbi is > 0 and < 6,
            _ => false,
        };

    private static string ReadOnlyNeedsNamespace(SandboxPolicy policy, string? reason)
    {
        var more = policy.ReadOnly.Count > 1 ? $" and {policy.ReadOnly.Count - 1} more; --dry-run lists them" : string.Empty;
        return $"Paths that hold commands other programs run later (git hooks and configuration, shell start-up and agent settings files: "
            + $"{policy.ReadOnly[0].Path}{more}) lie inside writable grants and must stay read-only so that nothing the program plants there "
            + $"runs outside the sandbox; that needs a mount namespace, and user namespaces are unavailable: {reason}. "
            + "Enable user namespaces (kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0, or the AppArmor setting), "
            + "grant the directories that hold them read-only, or pass --allow-persistence if the program is trusted to change them.";
    }

    /// <summary>The unshare(1) command line that starts the chain (empty when no namespace is needed).</summary>
    public IReadOnlyList<string> UnshareCommand() =>
        UseNamespaces ? UnshareCommandFor(Host.UserNamespaces, NetworkNamespace, MountNamespace, PidNamespace) : [];

    /// <summary>The unshare(1) command line for these namespaces (a user and an IPC namespace come with any of them).</summary>
    internal static IReadOnlyList<string> UnshareCommandFor(UserNamespaces userns, bool network, bool mount, bool pid)
    {
        var command = new List<string> { userns.UnsharePath!, "--user" };
        command.AddRange(userns.KeepCaps ? ["--map-current-user", "--keep-caps"] : ["--map-root-user"]);
        if (network)
        {
            command.Add("--net");
        }

        if (mount)
        {
            command.Add("--mount");
        }

        command.Add("--ipc");
        if (pid)
        {
            // unshare stays as the supervisor's child and waits; stage 2 is its child, pid 1 of the
            // namespace, and gets SIGKILL if unshare dies. unshare inherits the relayed signals
            // blocked, so neither a keyboard signal nor a forwarded one ends it early.
            command.AddRange(["--pid", "--fork", "--kill-child"]);
        }

        command.Add("--");
        return command;
    }
}
