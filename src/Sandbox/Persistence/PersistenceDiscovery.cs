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
        var globalHooksPaths = ReadClosure(table, home.GlobalGitConfigFiles(), home);
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

        var ownFiles = new[] { repository.ConfigPath, Path.Join(repository.GitDir, "config.worktree") };
        var hooksPaths = ReadClosure(table, ownFiles, home).Concat(globalHooksPaths).ToArray();
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

    /// <summary>
    /// The configuration files git reads starting from <paramref name="files"/>, following include.path
    /// and includeIf.*.path (every condition counted as true: any could hold), and every core.hooksPath
    /// value among them. An included file inside a writable grant is protected like the file that
    /// includes it, since git reads its settings as its own.
    /// </summary>
    private static List<string> ReadClosure(PathTable table, IEnumerable<string> files, HomeLocations home)
    {
        var hooksPaths = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(string File, int Depth)>(files.Select(file => (file, 0)));
        while (pending.TryDequeue(out var item))
        {
            if (!seen.Add(item.File) || LoadConfig(item.File) is not { } config)
            {
                continue;
            }

            foreach (var entry in config.Entries)
            {
                if (entry is { Section: "core", Subsection: null, Key: "hookspath", Value: { Length: > 0 } value })
                {
                    hooksPaths.Add(value);
                }
                else if (entry is { Key: "path", Value: { Length: > 0 } include } && (entry is { Section: "include", Subsection: null } || entry.Section == "includeif")
                    && item.Depth < 10 && home.ExpandConfigPath(include, Path.GetDirectoryName(item.File)!) is { } target)
                {
                    table.Add(target, isDirectory: false, $"included by {item.File}: git reads its settings as part of that configuration");
                    pending.Enqueue((target, item.Depth + 1));
                }
            }
        }

        return hooksPaths;
    }

    private static GitConfigFile? LoadConfig(string file)
    {
        try
        {
            return GitConfigFile.Load(file);
        }
        catch (GitConfigFormatException e)
        {
            throw new PolicyException($"'{file}' is not a configuration git can read ({e.Message}); nono cannot tell which hooks it enables. Fix or remove it.");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Unreadable for the user means unreadable for git run by the user: it configures nothing.
            return null;
        }
    }
}
