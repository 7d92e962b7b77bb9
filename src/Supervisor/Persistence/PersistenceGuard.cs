using Nono.Sandbox;
using Nono.Sandbox.Persistence;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Persistence;

/// <summary>
/// Nothing planted inside runs outside, for one session: before the launch it finds what in the
/// writable grants another program later runs (git hooks and configuration, start-up files) and puts
/// it in the policy's read-only table; after the last process of the session has ended it scans
/// again, reports every hook and command-running setting that appeared (stderr and the audit log)
/// and disables each until the user restores it. With <c>--allow-persistence</c> nothing is
/// protected or disabled, and what changed is still reported.
/// </summary>
internal sealed class PersistenceGuard
{
    public const string AllowFlag = "--allow-persistence";

    private readonly SessionScan _scan;
    private readonly bool _allowChanges;

    private PersistenceGuard(SandboxPolicy policy, SessionScan scan, bool allowChanges)
    {
        Policy = policy;
        _scan = scan;
        _allowChanges = allowChanges;
    }

    /// <summary>The policy with its read-only table filled in (unchanged with --allow-persistence).</summary>
    public SandboxPolicy Policy { get; }

    public static HomeLocations HomeOf(HostEnvironment host) =>
        HomeLocations.FromEnvironment(host.Home, host.Variables.GetValueOrDefault("XDG_CONFIG_HOME"));

    /// <summary>Builds the table for <paramref name="policy"/> and records what exists now. Changes nothing on disk.</summary>
    /// <param name="discarded">The session's temporary directory, removed when it ends: not searched at the end.</param>
    public static PersistenceGuard Prepare(SandboxPolicy policy, HomeLocations home, bool allowChanges, string? discarded = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        PersistencePlan plan;
        try
        {
            plan = PersistenceDiscovery.Discover(policy, home);
        }
        catch (PolicyException) when (allowChanges)
        {
            // Nothing is to be protected, and a tree too large (or odd) to search is then no reason to refuse.
            plan = PersistencePlan.Empty;
        }

        var scan = SessionScan.Start(plan, policy, home, discarded is null ? [] : [discarded]);
        return new PersistenceGuard(allowChanges ? policy : WithTable(policy, plan), scan, allowChanges);
    }

    /// <summary>The policy a dry run shows (nothing is recorded or created).</summary>
    public static (SandboxPolicy Policy, IReadOnlyList<string> Watched) Protect(SandboxPolicy policy, HomeLocations home, bool allowChanges)
    {
        // With --allow-persistence nothing is searched, so a tree of any size is fine.
        if (allowChanges)
        {
            return (policy, []);
        }

        var plan = PersistenceDiscovery.Discover(policy, home);
        return (WithTable(policy, plan), [.. plan.Watched.Select(path => $"  {path.Path} (absent: reported and disabled when a session ends, if created): {path.Reason}")]);
    }

    /// <summary>The plan's read-only and pinned rows added to the policy's read-only table.</summary>
    private static SandboxPolicy WithTable(SandboxPolicy policy, PersistencePlan plan)
    {
        var rows = plan.Mounts
            .Where(path => policy.ReadOnly.All(existing => existing.Path != path.Path))
            .Select(path => new ReadOnlyPath(path.Path, path.Create ? path.Reason + " (created empty)" : path.Reason, path.Protection == Protection.Pinned));
        return policy with { ReadOnly = [.. policy.ReadOnly, .. rows] };
    }

    /// <summary>A plan description with the watched rows after the read-only table (for --dry-run).</summary>
    public static IEnumerable<string> WithWatched(IEnumerable<string> describe, IReadOnlyList<string> watched)
    {
        foreach (var line in describe)
        {
            yield return line;
            if (line.StartsWith("read-only inside writable grants:", StringComparison.Ordinal))
            {
                foreach (var row in watched)
                {
                    yield return row;
                }
            }
        }
    }

    /// <summary>Just before the launch: creates the absent hooks directories that are to be read-only.</summary>
    public void BeforeLaunch()
    {
        if (!_allowChanges)
        {
            _scan.Plan.CreateMissing();
        }
    }

    /// <summary>A line for stderr when the session starts, so that a git command refused inside says why.</summary>
    public string? Notice()
    {
        var repositories = _scan.Plan.Repositories.Count(repository => _scan.Writable.Covers(repository.ConfigPath));
        if (_allowChanges || repositories == 0)
        {
            return null;
        }

        return $"nono: hooks and configuration of {repositories} git repositor{(repositories == 1 ? "y" : "ies")} are read-only in this session "
            + $"(git config and hook changes fail with 'Read-only file system' or 'Device or resource busy'); {AllowFlag} lets a trusted program change them";
    }

    /// <summary>After every process of the session has ended: report and disable what appeared.</summary>
    public void Finish(string? auditLog)
    {
        if (_allowChanges && _scan.Plan.Repositories.Count == 0 && _scan.Plan.Paths.Count == 0)
        {
            return;
        }

        IReadOnlyList<Finding> findings;
        try
        {
            findings = _scan.Finish();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PolicyException)
        {
            Console.Error.WriteLine($"nono: WARNING: could not check the writable grants for planted hooks and git settings: {e.Message}");
            return;
        }

        if (findings.Count == 0)
        {
            return;
        }

        var results = _allowChanges
            ? findings.Select(finding => new QuarantineResult(finding, false, $"left as it is ({AllowFlag})", null)).ToArray()
            : Quarantine.Apply(findings, _scan.Writable);
        foreach (var line in PersistenceReport.Lines(results, _allowChanges))
        {
            Console.Error.WriteLine(line);
        }

        if (auditLog is not null)
        {
            PersistenceReport.AppendToAuditLog(auditLog, results);
        }
    }
}
