using System.Globalization;
using System.Text;
using System.Text.Json;
using Nono.Proxy;

namespace Nono.Supervisor.Session;

/// <summary>
/// A session's network story: the proxy's audit events, drained every second (its buffer is bounded,
/// so a long session would otherwise lose the oldest) and appended to <c>--audit-log</c> as JSON lines
/// with the proxy's own source-generated serialisation (events hold no secret); refused hosts are
/// counted for the summary printed at the end, with the flag that would allow each.
/// </summary>
internal sealed class AuditReport : IAsyncDisposable
{
    private const string NotAllowed = "not in allowlist";
    private const int MaxHosts = 1000;

    private readonly ProxyHandle _proxy;
    private readonly string? _logPath;
    private readonly Dictionary<(string Target, bool Allowlist), (int Count, string? Reason)> _denied = [];
    private readonly Lock _lock = new();
    private readonly PeriodicTimer _timer = new(TimeSpan.FromSeconds(1));
    private readonly Task _loop;

    public AuditReport(ProxyHandle proxy, string? logPath)
    {
        _proxy = proxy;
        _logPath = logPath;
        _loop = Task.Run(DrainLoopAsync);
    }

    /// <summary>Stops the periodic drain and takes what is left (call after the proxy has shut down).</summary>
    public async ValueTask DisposeAsync()
    {
        // Disposing the timer ends the loop's wait with false, not an exception: that ends the
        // session a couple of milliseconds sooner than cancelling would.
        _timer.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Drain();
    }

    /// <summary>The end-of-session lines for stderr.</summary>
    public IReadOnlyList<string> Summary()
    {
        lock (_lock)
        {
            var lines = Summary(_denied).ToList();
            if (_proxy.DroppedAuditEvents > 0)
            {
                lines.Add($"nono: {_proxy.DroppedAuditEvents.ToString(CultureInfo.InvariantCulture)} audit events were dropped (buffer full); the log and this summary are incomplete");
            }

            return lines;
        }
    }

    /// <summary>The summary lines for a list of events (one line per refused host).</summary>
    public static IEnumerable<string> Summary(IEnumerable<NetworkAuditEvent> events)
    {
        var denied = new Dictionary<(string, bool), (int, string?)>();
        Count(denied, events);
        return Summary(denied);
    }

    private static IEnumerable<string> Summary(Dictionary<(string Target, bool Allowlist), (int Count, string? Reason)> denied)
    {
        foreach (var ((target, allowlist), (count, reason)) in denied.OrderBy(entry => entry.Key.Target, StringComparer.Ordinal))
        {
            var requests = count == 1 ? "1 request" : $"{count.ToString(CultureInfo.InvariantCulture)} requests";
            yield return allowlist
                ? $"nono: denied: {target} ({requests}) — allow with --allow-domain {target}"
                : $"nono: denied: {target} ({requests}): {reason ?? "refused"}";
        }
    }

    private static void Count(Dictionary<(string, bool), (int Count, string? Reason)> denied, IEnumerable<NetworkAuditEvent> events)
    {
        foreach (var e in events.Where(e => e.Decision == AuditDecision.Deny && e.Target.Length > 0))
        {
            var key = (e.Target, e.Reason?.Contains(NotAllowed, StringComparison.Ordinal) == true);
            if (denied.TryGetValue(key, out var seen))
            {
                denied[key] = (seen.Count + 1, seen.Reason);
            }
            else if (denied.Count < MaxHosts)
            {
                denied[key] = (1, e.Reason);
            }
        }
    }

    private async Task DrainLoopAsync()
    {
        while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            Drain();
        }
    }

    private void Drain()
    {
        lock (_lock)
        {
            var events = _proxy.DrainAuditEvents();
            if (events.Count == 0)
            {
                return;
            }

            Count(_denied, events);
            if (_logPath is not null)
            {
                AppendLog(_logPath, events);
            }
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
