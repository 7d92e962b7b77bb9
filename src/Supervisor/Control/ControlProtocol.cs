using System.Text.Json.Serialization;

namespace Nono.Supervisor.Control;

/// <summary>
/// The control channel's messages: one JSON request line from `nono ps`/`allow`/`deny`, one JSON
/// reply line from the session. Versionless on purpose: client and server are the same binary
/// release in practice, and an unknown operation gets an error reply naming it.
/// </summary>
internal sealed record ControlRequest
{
    public const string Status = "status";
    public const string Allow = "allow";
    public const string Deny = "deny";

    [JsonPropertyName("op")]
    public string Op { get; init; } = "";

    [JsonPropertyName("hosts")]
    public IReadOnlyList<string> Hosts { get; init; } = [];
}

/// <summary>The session's answer: its status, and for allow/deny what happened to each host.</summary>
internal sealed record ControlReply
{
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("session")]
    public SessionStatus? Session { get; init; }

    [JsonPropertyName("changes")]
    public IReadOnlyList<HostChangeResult> Changes { get; init; } = [];
}

/// <summary>One host of an allow or deny request: the normalised host and "allowed", "denied", "unchanged" or the refusal's reason.</summary>
internal sealed record HostChangeResult(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>What `nono ps` shows of one session.</summary>
internal sealed record SessionStatus
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    [JsonPropertyName("child_pid")]
    public int? ChildPid { get; init; }

    [JsonPropertyName("command")]
    public IReadOnlyList<string> Command { get; init; } = [];

    [JsonPropertyName("started_unix_ms")]
    public long StartedUnixMs { get; init; }

    [JsonPropertyName("profile")]
    public string Profile { get; init; } = "";

    [JsonPropertyName("refused")]
    public IReadOnlyList<string> Refused { get; init; } = [];

    [JsonPropertyName("allowed")]
    public IReadOnlyList<string> Allowed { get; init; } = [];
}

/// <summary>A change to the live allowlist, as a line of the audit log (beside the proxy's events).</summary>
internal sealed record HostPolicyChangeEvent
{
    [JsonPropertyName("timestamp_unix_ms")]
    public long TimestampUnixMs { get; init; }

    /// <summary>"session_allow" or "session_deny".</summary>
    [JsonPropertyName("event")]
    public string Event { get; init; } = "";

    [JsonPropertyName("target")]
    public string Target { get; init; } = "";

    /// <summary>"changed" or "unchanged".</summary>
    [JsonPropertyName("result")]
    public string Result { get; init; } = "";

    [JsonPropertyName("by_pid")]
    public int ByPid { get; init; }

    [JsonPropertyName("by_uid")]
    public uint ByUid { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlReply))]
[JsonSerializable(typeof(HostPolicyChangeEvent))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
