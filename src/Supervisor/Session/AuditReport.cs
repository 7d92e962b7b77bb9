using System.Globalization;
using System.Text;
using System.Text.Json;
using Nono.Proxy;

namespace Nono.Supervisor.Session;

/// <summary>
/// The end of a session's network story: the audit events appended to <c>--audit-log</c> as JSON
/// lines (the proxy's own source-generated serialisation; events hold no secret), and a summary of
/// refused hosts on stderr with the flag that would allow each.
/// </summary>
internal static class AuditReport
{
    private const string NotAllowed = "not in allowlist";

    public static void Write(string? auditLog, IReadOnlyList<NetworkAuditEvent> events, long dropped)
    {
        if (auditLog is not null)
        {
            AppendLog(auditLog, events);
        }

        foreach (var line in Summary(events))
        {
            Console.Error.WriteLine(line);
        }

        if (dropped > 0)
        {
            Console.Error.WriteLine($"nono: {dropped.ToString(CultureInfo.InvariantCulture)} older audit events were dropped (buffer full); the summary is incomplete");
        }
    }

    public static IEnumerable<string> Summary(IReadOnlyList<NetworkAuditEvent> events)
    {
        var denied = events
            .Where(e => e.Decision == AuditDecision.Deny && e.Target.Length > 0)
            .GroupBy(e => (e.Target, Allowlist: e.Reason?.Contains(NotAllowed, StringComparison.Ordinal) == true))
            .OrderBy(group => group.Key.Target, StringComparer.Ordinal);
        foreach (var group in denied)
        {
            var count = group.Count();
            var requests = count == 1 ? "1 request" : $"{count.ToString(CultureInfo.InvariantCulture)} requests";
            yield return group.Key.Allowlist
                ? $"nono: denied: {group.Key.Target} ({requests}) — allow with --allow-domain {group.Key.Target}"
                : $"nono: denied: {group.Key.Target} ({requests}): {group.First().Reason ?? "refused"}";
        }
    }

    private static void AppendLog(string path, IReadOnlyList<NetworkAuditEvent> events)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(JsonSerializer.Serialize(e, AuditJsonContext.Default.NetworkAuditEvent)).Append('\n');
        }

        try
        {
            File.AppendAllText(path, text.ToString());
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"nono: cannot write the audit log {path}: {error.Message}");
        }
    }
}
