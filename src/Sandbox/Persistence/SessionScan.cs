namespace Nono.Sandbox.Persistence;

/// <summary>
/// What the repositories and watched paths in a session's writable grants would run, taken when the
/// session starts and again when it ends: the difference is what the program planted, including in
/// repositories it created (git init, git clone) or redirected.
/// </summary>
public sealed class SessionScan
{
    private readonly HashSet<Finding> _before;
    private readonly IReadOnlyList<string> _discarded;

    private SessionScan(PersistencePlan plan, WritableArea writable, HomeLocations home, HashSet<Finding> before, IReadOnlyList<string> discarded)
    {
        _discarded = discarded;
        Plan = plan;
        Writable = writable;
        Home = home;
        _before = before;
    }

    public PersistencePlan Plan { get; }

    public WritableArea Writable { get; }

    public HomeLocations Home { get; }

    /// <summary>Records what exists before the program starts.</summary>
    /// <param name="discarded">Writable directories removed with everything in them when the session ends
    /// (its temporary directory): nothing planted there outlives the session, so they are not searched again.</param>
    public static SessionScan Start(PersistencePlan plan, SandboxPolicy policy, HomeLocations home, IReadOnlyList<string>? discarded = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(policy);
        var writable = new WritableArea(policy.Grants);
        var before = new HashSet<Finding>(plan.Repositories.SelectMany(repository => RepositoryScan.Of(repository, home)));
        return new SessionScan(plan, writable, home, before, discarded ?? []);
    }

    /// <summary>Everything git or the user's session would run that was not there at the start. Call once
    /// every process of the session has ended, so nothing can change under the scan.</summary>
    public IReadOnlyList<Finding> Finish()
    {
        var roots = Writable.Roots.Where(root => !_discarded.Any(discarded => PathUtil.IsSameOrBelow(root, discarded)));
        var now = RepositoryFinder.Find(roots).Concat(Plan.Repositories)
            .DistinctBy(repository => (repository.GitDir, repository.WorkTree))
            .SelectMany(repository => RepositoryScan.Of(repository, Home));
        var appeared = Plan.Watched
            .Where(path => File.Exists(path.Path) || Directory.Exists(path.Path) || new FileInfo(path.Path).LinkTarget is not null)
            .Select(path => new Finding(FindingKind.Appeared, path.Path, string.Empty, string.Empty, path.Reason));
        return [.. now.Where(finding => !_before.Contains(finding) && Writable.Covers(finding.Path)).Concat(appeared).Distinct()];
    }
}
