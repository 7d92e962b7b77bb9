using System.Text.Json.Serialization;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// The Linux stage 2's launch spec, handed over as JSON on an inherited memfd: the shared
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
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LinuxLaunchSpec))]
internal sealed partial class LaunchSpecJson : JsonSerializerContext;
