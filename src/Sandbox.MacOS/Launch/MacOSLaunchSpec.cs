using System.Text.Json.Serialization;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// The macOS stage 2's launch spec, sent by the supervisor through a pipe on the child's
/// descriptor 3: the shared <see cref="LaunchSpec"/> (stage 2 generates the Seatbelt profile from
/// its policy) and the home directory whose credentials the profile protects.
/// </summary>
internal sealed record MacOSLaunchSpec : LaunchSpec
{
    public required string Home { get; init; }
}

[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MacOSLaunchSpec))]
internal sealed partial class LaunchSpecJson : JsonSerializerContext;
