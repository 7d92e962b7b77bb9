using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nono.Sandbox.Persistence;

namespace Nono.Supervisor.Persistence;

/// <summary>The end-of-session report of planted hooks and settings: lines for stderr, JSON lines for the audit log.</summary>
internal static class PersistenceReport
{
    public static IEnumerable<string> Lines(IReadOnlyList<QuarantineResult> results, bool allowed)
    {
        var count = results.Count.ToString(CultureInfo.InvariantCulture);
        yield return allowed
            ? $"nono: the program added {count} hook(s) or command-running git setting(s) in the writable grants (kept: {PersistenceGuard.AllowFlag}):"
            : $"nono: the program added {count} hook(s) or command-running git setting(s) in the writable grants; each is disabled until you restore it:";
        foreach (var result in results)
        {
            yield return $"nono:   {result.Finding.Describe()}: {result.Action}";
            if (result.Restore is { } restore)
            {
                yield return $"nono:     to restore, after reading it: {restore}";
            }
        }
    }

    public static void AppendToAuditLog(string path, IReadOnlyList<QuarantineResult> results)
    {
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var lines = results.Select(result => JsonSerializer.Serialize(
            new PersistenceAuditEvent(
                time,
                "persistence",
                result.Finding.Kind.ToString().ToLowerInvariant(),
                result.Finding.Path,
                result.Finding.Name,
                result.Finding.Kind == FindingKind.Setting ? result.Finding.Detail : null,
                result.Finding.Reason,
                result.Disabled,
                result.Action,
                result.Restore),
            PersistenceAuditJson.Default.PersistenceAuditEvent));
        try
        {
            File.AppendAllLines(path, lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"nono: could not append the persistence report to the audit log '{path}': {e.Message}");
        }
    }
}

/// <summary>One audit-log line per finding, beside the proxy's network events (same time field).</summary>
internal sealed record PersistenceAuditEvent(
    [property: JsonPropertyName("timestamp_unix_ms")] long Time,
    string Event,
    string Kind,
    string Path,
    string Name,
    string? Value,
    string Reason,
    bool Disabled,
    string Action,
    string? Restore);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PersistenceAuditEvent))]
internal sealed partial class PersistenceAuditJson : JsonSerializerContext;
