namespace Nono.Sandbox.Persistence;

/// <summary>
/// Builds the table of paths inside a policy's writable grants that would let the sandboxed program
/// plant code that runs later outside the sandbox: for every repository in or above a writable grant
/// (worktrees and submodules included) its hooks, config and the <c>.git</c> entry that leads to
/// them, the directory an existing <c>core.hooksPath</c> names, and the home's start-up files. Every
/// directory above a protected path that the program could rename is pinned, because a rename
/// carries the mounts inside it away and leaves the name free for a planted copy.
/// </summary>
public static class PersistenceDiscovery
{
    public static PersistencePlan Discover(SandboxPolicy policy, HomeLocations home)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(home);
        var writable = new WritableArea(policy.Grants);
        if (writable.IsEmpty)
        {
            return PersistencePlan.Empty;
        }

        var table = new PathTable(writable);
        var repositories = RepositoryFinder.Find(writable.Roots);
        var globalHooksPaths = GlobalHooksPaths(home);
        foreach (var repository in repositories)
        {
            AddRepository(table, repository, globalHooksPaths, home);
        }

        foreach (var value in globalHooksPaths)
        {
            // An absolute (or ~/) global hooks path applies to every repository, found or not; a relative one is resolved per repository above.
            if (home.ExpandConfigPath(value, "/nonexistent-relative-base") is { } directory && !directory.StartsWith("/nonexistent-relative-base", StringComparison.Ordinal))
            {
                table.Add(directory, isDirectory: true, "core.hooksPath of the global git configuration names it: git runs the hooks in it for every repository", createDirectory: true);
            }
        }

        foreach (var (relative, isDirectory, reason) in HomeStartupFiles.Table)
        {
            foreach (var path in home.Resolve(relative))
            {
                table.Add(path, isDirectory, reason, createDirectory: isDirectory);
            }
        }

        return new PersistencePlan(table.Build(), repositories);
    }

    private static void AddRepository(PathTable table, GitRepository repository, IReadOnlyList<string> globalHooksPaths, HomeLocations home)
    {
        var where = repository.WorkTree ?? repository.GitDir;
        if (repository.GitEntryIsLink && table.Covers(Path.Join(where, ".git")))
        {
            throw new PolicyException(
                $"'{Path.Join(where, ".git")}' is a symbolic link inside a writable grant: the sandboxed program could point it at "
                + "hooks and configuration of its own, and nono cannot make a link itself read-only. Replace the link with the "
                + "directory it points to, or grant a narrower directory.");
        }

        if (repository.GitFile is { } gitFile)
        {
            table.Add(gitFile, isDirectory: false, $"names the git directory of {where}: pointed elsewhere, git would use planted hooks and configuration");
        }

        table.Pin(repository.GitDir, $"git directory of {where}");
        table.Pin(repository.CommonDir, $"git directory of {where}");
        table.Add(repository.ConfigPath, isDirectory: false, $"configuration of {where}: fsmonitor, pager, editor, filters and aliases run commands");
        table.Add(repository.DefaultHooksPath, isDirectory: true, $"hooks of {where}: git runs them on commit, checkout, merge and push", createDirectory: true);
        foreach (var gitDir in repository.LinkedGitDirs().Prepend(repository.GitDir).Distinct(StringComparer.Ordinal))
        {
            table.Add(Path.Join(gitDir, "config.worktree"), isDirectory: false, $"per-worktree configuration of {where}");
            table.Add(Path.Join(gitDir, "commondir"), isDirectory: false, $"names the directory git reads the hooks and configuration of {where} from");
        }

        var hooksPaths = HooksPathValues(repository).Concat(globalHooksPaths).ToArray();
        if (hooksPaths.Length == 0)
        {
            return;
        }

        var roots = repository.WorkTree is null ? [repository.GitDir] : repository.LinkedWorkTrees().Prepend(repository.WorkTree).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var value in hooksPaths)
        {
            foreach (var root in roots)
            {
                if (home.ExpandConfigPath(value, root) is { } directory)
                {
                    table.Add(directory, isDirectory: true, $"core.hooksPath of {where} names it: git runs the hooks in it", createDirectory: true);
                }
            }
        }
    }

    /// <summary>core.hooksPath as set in the repository's own configuration files (every value: any of them could be the one in effect).</summary>
    private static IEnumerable<string> HooksPathValues(GitRepository repository)
    {
        var files = new[] { repository.ConfigPath, Path.Join(repository.GitDir, "config.worktree") };
        return files.SelectMany(file => ReadHooksPaths(file, home: null, followIncludes: false));
    }

    private static List<string> GlobalHooksPaths(HomeLocations home) =>
        [.. home.GlobalGitConfigFiles().SelectMany(file => ReadHooksPaths(file, home, followIncludes: true))];

    private static IEnumerable<string> ReadHooksPaths(string file, HomeLocations? home, bool followIncludes, int depth = 0)
    {
        GitConfigFile? config;
        try
        {
            config = GitConfigFile.Load(file);
        }
        catch (GitConfigFormatException e)
        {
            throw new PolicyException($"'{file}' is not a configuration git can read ({e.Message}); nono cannot tell which hooks it enables. Fix or remove it.");
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }

        if (config is null)
        {
            yield break;
        }

        foreach (var entry in config.Entries)
        {
            if (entry is { Section: "core", Subsection: null, Key: "hookspath", Value: { Length: > 0 } value })
            {
                yield return value;
            }
            else if (followIncludes && home is not null && depth < 10 && entry.Key == "path" && entry.Value is { Length: > 0 } include
                && (entry is { Section: "include", Subsection: null } || entry.Section == "includeif"))
            {
                foreach (var nested in ReadHooksPaths(home.ExpandConfigPath(include, Path.GetDirectoryName(file)!) ?? "/nonexistent", home, true, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }
}
