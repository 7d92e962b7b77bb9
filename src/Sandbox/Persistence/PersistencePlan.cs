namespace Nono.Sandbox.Persistence;

/// <summary>The protected-path table of one policy, and the repositories it was built from.</summary>
public sealed record PersistencePlan(IReadOnlyList<ProtectedPath> Paths, IReadOnlyList<GitRepository> Repositories)
{
    public static PersistencePlan Empty { get; } = new([], []);

    /// <summary>Paths that need a mount (read-only or pinned), parents before children, as they must be mounted.</summary>
    public IEnumerable<ProtectedPath> Mounts => Paths.Where(path => path.Protection != Protection.Watched);

    public IEnumerable<ProtectedPath> Watched => Paths.Where(path => path.Protection == Protection.Watched);

    /// <summary>Creates the absent directories that are to be made read-only (never done for a dry run).</summary>
    public void CreateMissing()
    {
        foreach (var path in Paths.Where(path => path.Create))
        {
            Directory.CreateDirectory(path.Path);
        }
    }
}
