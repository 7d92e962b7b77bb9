using System.Text.Json.Serialization;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// What the macOS stage 2 needs, sent by the supervisor through a pipe on the child's descriptor 3:
/// the policy (stage 2 generates the Seatbelt profile from it), the home directory whose credentials
/// the profile protects, the target, and how to attach the child to the supervisor.
/// </summary>
internal sealed record LaunchSpec
{
    public required SandboxPolicy Policy { get; init; }

    public required string Home { get; init; }

    public required LaunchTarget Target { get; init; }

    /// <summary>The supervisor's pid: stage 2 refuses to go on when it is no longer its parent. 0: no check.</summary>
    public int ParentPid { get; init; }

    /// <summary>Start a new session and make stdin (a PTY from the supervisor) the controlling terminal.</summary>
    public bool ControllingTerminal { get; init; }

    public bool Verbose { get; init; }
}

[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LaunchSpec))]
internal sealed partial class LaunchSpecJson : JsonSerializerContext;
