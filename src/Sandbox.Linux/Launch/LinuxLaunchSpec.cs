using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// The Linux stage 2's launch spec, handed over in its binary form (<see cref="LaunchSpecWire"/>) on an inherited memfd: the shared
/// <see cref="LaunchSpec"/> and which namespaces stage 2 was started in, its seccomp decisions,
/// and where to send listening sockets.
/// </summary>
internal sealed record LinuxLaunchSpec : LaunchSpec
{
    /// <summary>Stage 2 runs in a fresh network namespace (unshare --net).</summary>
    public bool NetworkNamespace { get; init; }

    /// <summary>Stage 2 runs in a fresh mount namespace (unshare --mount) and must mask denied paths.</summary>
    public bool MountNamespace { get; init; }

    /// <summary>Stage 2 runs in a fresh SysV IPC namespace (unshare --ipc).</summary>
    public bool IpcNamespace { get; init; }

    /// <summary>unshare --pid --fork was given: stage 2 is pid 1 of a new PID namespace and spawns the target.</summary>
    public bool PidNamespace { get; init; }

    /// <summary>Read end of a pipe whose only write end the supervisor holds: end of file means the
    /// supervisor is gone, however it died. -1: none.</summary>
    public int LifelineFd { get; init; } = -1;

    /// <summary>Proxy mode without a network namespace (Landlock port rules, TCP-only seccomp).</summary>
    public bool ProxyFallback { get; init; }

    /// <summary>The socket families seccomp lets through: decided once by the plan (<see cref="LinuxLaunchPlan.SocketRule"/>),
    /// which --dry-run describes, and applied by stage 2 as it is.</summary>
    public required SocketRule SocketRule { get; init; }

    /// <summary>The seccomp host guards, decided by the plan for this launch (<see cref="LinuxLaunchPlan.Guards"/>).</summary>
    public required HostGuards Guards { get; init; }

    /// <summary>Unix socket to send the listening sockets to, or -1.</summary>
    public int ChannelFd { get; init; } = -1;

    /// <summary>Member count of <see cref="SocketRule"/> on the wire (a test holds it to the enumeration).</summary>
    internal const int SocketRuleCount = 3;

    public byte[] Encode()
    {
        var writer = new SpecWriter();
        LaunchSpecWire.WriteShared(writer, this);
        writer.Bool(NetworkNamespace);
        writer.Bool(MountNamespace);
        writer.Bool(IpcNamespace);
        writer.Bool(PidNamespace);
        writer.Int(LifelineFd);
        writer.Bool(ProxyFallback);
        writer.Int((int)SocketRule);
        writer.Int((int)Guards);
        writer.Int(ChannelFd);
        return writer.ToArray();
    }

    /// <exception cref="SandboxSetupException">The payload is not a whole spec of this build.</exception>
    public static LinuxLaunchSpec Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new SpecReader(payload);
        var shared = LaunchSpecWire.ReadShared(ref reader);
        var spec = new LinuxLaunchSpec
        {
            Policy = shared.Policy,
            Target = shared.Target,
            ParentPid = shared.ParentPid,
            ControllingTerminal = shared.ControllingTerminal,
            Verbose = shared.Verbose,
            NetworkNamespace = reader.Bool(),
            MountNamespace = reader.Bool(),
            IpcNamespace = reader.Bool(),
            PidNamespace = reader.Bool(),
            LifelineFd = reader.Int(),
            ProxyFallback = reader.Bool(),
            SocketRule = reader.Member<SocketRule>(SocketRuleCount),
            Guards = reader.Flags<HostGuards>((int)(HostGuards.SysVIpc | HostGuards.OtherProcesses | HostGuards.TerminalForeground)),
            ChannelFd = reader.Int(),
        };
        reader.End();
        return spec;
    }
}
