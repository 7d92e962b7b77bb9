using System.Text.Json.Serialization;

namespace Nono.Proxy;

/// <summary>How a request reached the proxy.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditMode>))]
public enum AuditMode
{
    [JsonStringEnumMemberName("connect")]
    Connect,

    [JsonStringEnumMemberName("forward")]
    Forward,

    [JsonStringEnumMemberName("reverse")]
    Reverse,

    [JsonStringEnumMemberName("socks5")]
    Socks5,

    /// <summary>A tunnel chained through the configured external proxy.</summary>
    [JsonStringEnumMemberName("external")]
    External,

    /// <summary>A request seen inside an intercepted TLS tunnel.</summary>
    [JsonStringEnumMemberName("intercept")]
    Intercept,

    /// <summary>A configuration reload (<c>nono proxy</c> on SIGHUP): allow when it took effect, deny when the previous configuration stays.</summary>
    [JsonStringEnumMemberName("reload")]
    Reload,
}

[JsonConverter(typeof(JsonStringEnumConverter<AuditDecision>))]
public enum AuditDecision
{
    [JsonStringEnumMemberName("allow")]
    Allow,

    [JsonStringEnumMemberName("deny")]
    Deny,
}

/// <summary>
/// One decision of the proxy. Holds no secret: paths are recorded without their query string (which
/// may carry keys), and the session token is scrubbed from every field before the event is stored.
/// </summary>
public sealed record NetworkAuditEvent
{
    [JsonPropertyName("timestamp_unix_ms")]
    public long TimestampUnixMs { get; init; }

    [JsonPropertyName("mode")]
    public AuditMode Mode { get; init; }

    [JsonPropertyName("decision")]
    public AuditDecision Decision { get; init; }

    /// <summary>Host name or IP literal the client asked for.</summary>
    [JsonPropertyName("target")]
    public string Target { get; init; } = "";

    [JsonPropertyName("port")]
    public int Port { get; init; }

    [JsonPropertyName("method")]
    public string? Method { get; init; }

    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>HTTP status returned to the client (or the SOCKS reply code for SOCKS5).</summary>
    [JsonPropertyName("status")]
    public int? Status { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>Prefix of the credential route involved, if any.</summary>
    [JsonPropertyName("route")]
    public string? Route { get; init; }

    /// <summary>A fixed, secret-free name of the reason (a refusal's name), used as the metrics label; not serialised.</summary>
    [JsonIgnore]
    internal string? ReasonCode { get; init; }
}

/// <summary>Source-generated JSON for audit events (NativeAOT-safe).</summary>
[JsonSerializable(typeof(NetworkAuditEvent))]
[JsonSerializable(typeof(IReadOnlyList<NetworkAuditEvent>))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
