namespace Nono.Supervisor.Control;

/// <summary>A session that answered: where it is and what it said about itself.</summary>
internal sealed record RunningSession(SessionEntry Entry, SessionStatus Status);

/// <summary>
/// The user's running sessions as the CLI sees them: every locked session directory whose control
/// socket answers a status request. A directory whose lock is free, or whose socket does not answer,
/// is not running (a SIGKILLed nono leaves at most a directory the next session removes).
/// </summary>
internal static class RunningSessions
{
    public static async Task<IReadOnlyList<RunningSession>> ListAsync()
    {
        var running = new List<RunningSession>();
        foreach (var entry in SessionRegistry.Candidates())
        {
            if (await ControlClient.SendAsync(entry.Socket, new ControlRequest { Op = ControlRequest.Status }).ConfigureAwait(false) is { Session: { } status })
            {
                running.Add(new RunningSession(entry, status));
            }
        }

        return running;
    }

    /// <summary>The session <paramref name="id"/> names (a unique prefix of its id), or the only one; else null with the reason.</summary>
    public static async Task<(RunningSession? Session, string? Error)> SelectAsync(string? id)
    {
        var running = await ListAsync().ConfigureAwait(false);
        if (running.Count == 0)
        {
            return (null, "no running nono session of yours (start one with nono run)");
        }

        if (id is null)
        {
            return running.Count == 1
                ? (running[0], null)
                : (null, $"{running.Count} sessions are running; choose one with --session ID ({string.Join(", ", running.Select(r => Short(r.Status.Id)))}; see nono ps)");
        }

        var matches = running.Where(r => r.Status.Id.StartsWith(id, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => (matches[0], null),
            0 => (null, $"no running session has the id {id} (see nono ps)"),
            _ => (null, $"the id {id} names {matches.Count} sessions; give more of it (see nono ps)"),
        };
    }

    /// <summary>The id as `nono ps` shows it: enough to be unique in practice, and accepted as a prefix.</summary>
    public static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
