using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// A sensitive path that does not exist cannot be masked, and a writable grant above it would let
/// the program create it (an <c>authorized_keys</c>, a docker config naming a credential helper) for
/// the user's own tools to pick up later. Such grants are refused before anything runs, with every
/// missing path named at once and one command that creates them all, so that fixing it takes one
/// attempt, whichever command (`run`, `shell`, `wrap`) was used.
/// </summary>
internal static class MissingProtectedPaths
{
    /// <summary>Sensitive entries that are single files; the others are directories.</summary>
    private static readonly string[] FileNames =
        [".netrc", ".git-credentials", "credentials", ".pgpass", ".npmrc", ".pypirc", ".bunfig.toml", ".vault-token", "bunfig.toml"];

    public static void Check(IReadOnlyList<FsGrant> grants, SensitiveHomes homes)
    {
        var writable = grants.Where(grant => grant.Target == FsTarget.Directory && grant.Access.HasFlag(FsAccess.Write)).ToList();
        if (writable.Count == 0)
        {
            return;
        }

        var missing = homes.Denies(grants)
            .Where(path => !Path.Exists(path) && new FileInfo(path).LinkTarget is null)
            .Select(path => (Path: path, Grant: writable.FirstOrDefault(grant => PathUtil.IsSameOrBelow(path, grant.Path))))
            .Where(found => found.Grant is not null)
            .ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var grantPaths = missing.Select(found => found.Grant!.Path).Distinct(StringComparer.Ordinal).ToList();
        throw new ProfileException(
            $"the writable grant of {string.Join(", ", grantPaths.Select(Quote))} would let the program create "
            + $"{missing.Count} sensitive path(s) that do not exist yet and so cannot be hidden: {string.Join(", ", missing.Select(found => found.Path))}. "
            + $"Create them once, empty, so that nono can hide them: {FixCommand(missing.Select(found => found.Path))}; or grant a narrower directory");
    }

    private static string FixCommand(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        var files = list.Where(IsFile).ToList();
        var directories = list.Except(files).ToList();
        var parts = new List<string>();
        if (directories.Count > 0)
        {
            parts.Add($"mkdir -p -m 700 {string.Join(' ', directories.Select(Quote))}");
        }

        if (files.Count > 0)
        {
            var parents = files.Select(file => Path.GetDirectoryName(file)!).Distinct(StringComparer.Ordinal).Except(directories, StringComparer.Ordinal);
            parts.Add($"mkdir -p {string.Join(' ', parents.Select(Quote))}");
            parts.Add($"touch {string.Join(' ', files.Select(Quote))}");
            parts.Add($"chmod 600 {string.Join(' ', files.Select(Quote))}");
        }

        return string.Join(" && ", parts);
    }

    private static bool IsFile(string path)
    {
        var name = Path.GetFileName(path);
        return FileNames.Contains(name, StringComparer.Ordinal)
            || name.EndsWith("_history", StringComparison.Ordinal)
            || (name.StartsWith('.') && name.EndsWith("rc", StringComparison.Ordinal));
    }

    private static string Quote(string path) => $"'{path}'";
}
