namespace Nono.Sandbox;

/// <summary>
/// Files that hold commands another program runs later without asking, outside any sandbox: kept
/// read-only inside writable grants, so that a program confined for a session cannot plant code
/// that the user's next unsandboxed run executes. One table, with the reason for each entry; the
/// platform layer enforces it (Linux: read-only bind mounts in the child's mount namespace).
/// </summary>
public static class PlantedCommandPaths
{
    /// <summary>Relative to the user's home directory.</summary>
    public static IReadOnlyList<(string RelativePath, string Reason)> UnderHome { get; } =
    [
        (".claude/settings.json", "Claude Code runs its hooks, statusLine and apiKeyHelper commands"),
        (".codex/config.toml", "Codex runs its notify command and starts its mcp_servers"),
    ];

    /// <summary>The entries of <paramref name="homes"/> that lie inside a grant with write access.</summary>
    public static IReadOnlyList<ReadOnlyPath> InsideWritableGrants(IEnumerable<string> homes, IEnumerable<FsGrant> grants)
    {
        var writable = grants.Where(grant => grant.Access.HasFlag(FsAccess.Write)).ToArray();
        return homes
            .SelectMany(home => UnderHome.Select(entry => new ReadOnlyPath(System.IO.Path.Join(home, entry.RelativePath), entry.Reason)))
            .Where(entry => writable.Any(grant => grant.Target == FsTarget.Directory
                ? PathUtil.IsSameOrBelow(entry.Path, grant.Path)
                : grant.Path == entry.Path))
            .DistinctBy(entry => entry.Path, StringComparer.Ordinal)
            .ToArray();
    }
}
