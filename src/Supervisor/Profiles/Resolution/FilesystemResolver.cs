using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>A profile path that was not granted because it does not exist on this machine.</summary>
internal sealed record SkippedPath(string Key, string Raw, string Path, SourceLocation Where)
{
    public override string ToString() => $"{Where}: {Key} '{Raw}' ({Path}) does not exist; not granted";
}

/// <summary>The filesystem half of a session: grants on real paths and the denies that matter.</summary>
internal sealed record FilesystemPlan(IReadOnlyList<FsGrant> Grants, IReadOnlyList<string> Denies, IReadOnlyList<SkippedPath> Skipped);

/// <summary>
/// Expands, checks and canonicalises <c>filesystem</c> entries. Decisions:
/// <list type="bullet">
/// <item>Grants are made on the real path (symlinks resolved), and the sensitive-path check applies to
/// both the written and the real path, so a link cannot smuggle <c>~/.ssh</c> in.</item>
/// <item>A profile path that does not exist is skipped and reported (profiles list tool directories
/// that not every machine has); a path given on the command line must exist (it is probably a typo).</item>
/// <item>Write access to <c>/</c>, to the home directory or to any directory above it is refused: the
/// child could plant shell start-up files that run outside the sandbox.</item>
/// <item>A deny that does not exist, or that no grant covers, is dropped: there is nothing to hide.</item>
/// </list>
/// </summary>
internal static class FilesystemResolver
{
    public static FilesystemPlan Resolve(IReadOnlyList<PathEntry> entries, HostEnvironment host)
    {
        var homes = host.SensitiveHomes();
        var grants = new Dictionary<string, FsGrant>(StringComparer.Ordinal);
        var denies = new List<(string Path, PathEntry Entry)>();
        var skipped = new List<SkippedPath>();
        foreach (var entry in entries)
        {
            // A flag's location already names it ("command line (--allow)"); a profile entry names its key.
            var keyName = "filesystem." + PathRules.KeyOf(entry.Rule);
            var key = entry.FromFlag ? string.Empty : keyName + ": ";
            var path = entry.FromFlag
                ? PathVariables.ExpandFlag(entry.Raw, entry.Where, host)
                : PathVariables.Expand(entry.Raw, entry.Where, keyName, host);
            var real = RealPath.Resolve(path);
            if (entry.Rule == PathRule.Deny)
            {
                if (real is not null)
                {
                    denies.Add((real, entry));
                }

                continue;
            }

            if (real is null)
            {
                if (entry.FromFlag)
                {
                    throw ProfileException.At(entry.Where, $"'{entry.Raw}' ({path}) does not exist");
                }

                skipped.Add(new SkippedPath(keyName, entry.Raw, path, entry.Where));
                continue;
            }

            var grant = PerProcessProc.IsPerProcess(real)
                ? PerProcessProc.Grant(PathRules.AccessOf(entry.Rule))
                : Check(entry, key, path, real, homes);
            real = grant.Path;
            grants[real] = grants.TryGetValue(real, out var existing) ? existing with { Access = existing.Access | grant.Access } : grant;
        }

        var effectiveDenies = new List<string>();
        foreach (var (deny, entry) in denies.DistinctBy(d => d.Path))
        {
            if (grants.Values.FirstOrDefault(g => PathUtil.IsSameOrBelow(g.Path, deny)) is { } inside)
            {
                throw ProfileException.At(entry.Where, $"'{entry.Raw}' is denied but '{inside.Path}' inside it is granted; remove one of them");
            }

            if (grants.Values.Any(g => g.Target == FsTarget.Directory && PathUtil.IsSameOrBelow(deny, g.Path)))
            {
                effectiveDenies.Add(deny);
            }
        }

        var plan = new FilesystemPlan([.. WithoutRedundant(grants.Values).OrderBy(g => g.Path, StringComparer.Ordinal)], effectiveDenies, skipped);
        MissingProtectedPaths.Check(plan.Grants, homes);
        return plan;
    }

    /// <summary>Drops grants a directory grant above them already gives (e.g. /bin under /usr on merged-/usr systems).</summary>
    private static IEnumerable<FsGrant> WithoutRedundant(ICollection<FsGrant> grants) =>
        grants.Where(grant => !grants.Any(other =>
            other.Path != grant.Path
            && other.Target == FsTarget.Directory
            && PathUtil.IsSameOrBelow(grant.Path, other.Path)
            && (other.Access & grant.Access) == grant.Access));

    private static FsGrant Check(PathEntry entry, string key, string path, string real, SensitiveHomes homes)
    {
        var shown = path == real ? $"'{entry.Raw}'" : $"'{entry.Raw}' ({real})";
        if (homes.Covers(path) || homes.Covers(real))
        {
            throw ProfileException.At(entry.Where,
                $"{key}{shown} is a sensitive path (credentials or history) that nono never grants; remove the entry, and use a credential route to give the program an API key");
        }

        var isDirectory = Directory.Exists(real);
        if (PathRules.IsFileRule(entry.Rule) && isDirectory)
        {
            throw ProfileException.At(entry.Where, $"{key}{shown} is a directory; use 'allow', 'read' or 'write' for directories");
        }

        // A directory rule naming a file grants that file alone (nono's 'read' takes files and directories).

        var access = PathRules.AccessOf(entry.Rule);
        if (access.HasFlag(FsAccess.Write) && homes.Own.Any(home => PathUtil.IsSameOrBelow(home, real)))
        {
            var why = entry.Raw.Contains("WORKDIR", StringComparison.Ordinal)
                ? "; the working directory is your home directory or above it, so run nono from a project directory"
                : string.Empty;
            throw ProfileException.At(entry.Where,
                $"{key}{shown} would give write access to your home directory or a directory above it, where shell start-up files live{why}. Grant the project directory instead (e.g. --allow ~/src/project), or read-only access with --read");
        }

        return isDirectory ? FsGrant.Directory(real, access) : FsGrant.File(real, access);
    }
}
