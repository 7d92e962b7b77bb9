using System.Text.Json.Serialization;

namespace Nono.Sandbox;

/// <summary>Source-generated JSON for handing a policy to the stage-2 trampoline and for --dry-run.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SandboxPolicy))]
public sealed partial class PolicyJson : JsonSerializerContext;
