namespace Nono.Sandbox.Persistence;

/// <summary>
/// A repository as git finds it from a directory: a <c>.git</c> directory, a <c>.git</c> file
/// ("gitdir: PATH", which worktrees and submodules use) or a bare repository. The per-worktree
/// git directory and the common directory (hooks, config, objects; named by a <c>commondir</c>
/// file for linked worktrees) are told apart because git reads hooks and config from the latter.
/// </summary>
public sealed record GitRepository
{
    /// <summary>The working tree's top directory; null for a bare repository or a submodule's stored git directory.</summary>
    public string? WorkTree { get; init; }

    public required string GitDir { get; init; }

    public required string CommonDir { get; init; }

    /// <summary>The <c>.git</c> file that points at <see cref="GitDir"/>, when git gets there through one.</summary>
    public string? GitFile { get; init; }

    /// <summary>The <c>.git</c> entry is a symbolic link: something in the same directory could replace it.</summary>
    public bool GitEntryIsLink { get; init; }

    public string ConfigPath => Path.Join(CommonDir, "config");

    public string DefaultHooksPath => Path.Join(CommonDir, "hooks");

    /// <summary>The repository whose work tree is <paramref name="directory"/> (or which is <paramref name="directory"/>, bare), or null.</summary>
    public static GitRepository? Open(string directory)
    {
        var dotGit = Path.Join(directory, ".git");
        var info = new FileInfo(dotGit);
        if (info.Exists || Directory.Exists(dotGit))
        {
            var isLink = info.LinkTarget is not null || new DirectoryInfo(dotGit).LinkTarget is not null;
            if (Directory.Exists(dotGit))
            {
                return IsGitDirectory(dotGit) ? WithCommonDir(directory, dotGit, gitFile: null, isLink) : null;
            }

            return ReadGitFile(dotGit) is { } target && IsGitDirectory(target) ? WithCommonDir(directory, target, dotGit, isLink) : null;
        }

        return IsGitDirectory(directory) && !directory.EndsWith("/.git", StringComparison.Ordinal)
            ? WithCommonDir(null, directory, gitFile: null, isLink: false)
            : null;
    }

    /// <summary>A git directory opened directly (a submodule's under <c>modules/</c>).</summary>
    public static GitRepository? OpenGitDir(string gitDir) =>
        IsGitDirectory(gitDir) ? WithCommonDir(null, gitDir, gitFile: null, isLink: false) : null;

    /// <summary>The path a <c>.git</c> file names, made absolute against the file's directory; null when it is not one.</summary>
    public static string? ReadGitFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        if (!text.StartsWith("gitdir: ", StringComparison.Ordinal))
        {
            return null;
        }

        var target = text["gitdir: ".Length..].TrimEnd('\n', '\r');
        return target.Length == 0 ? null : PathUtil.Normalize(target, Path.GetDirectoryName(path)!);
    }

    /// <summary>What git itself checks: a HEAD file, and objects and refs directories (or a commondir file that supplies them).</summary>
    public static bool IsGitDirectory(string path) =>
        File.Exists(Path.Join(path, "HEAD"))
        && (File.Exists(Path.Join(path, "commondir"))
            || (Directory.Exists(Path.Join(path, "objects")) && Directory.Exists(Path.Join(path, "refs"))));

    private static GitRepository WithCommonDir(string? workTree, string gitDir, string? gitFile, bool isLink)
    {
        var common = gitDir;
        var commonFile = Path.Join(gitDir, "commondir");
        if (File.Exists(commonFile))
        {
            var named = File.ReadAllText(commonFile).TrimEnd('\n', '\r');
            if (named.Length > 0)
            {
                common = PathUtil.Normalize(named, gitDir);
            }
        }

        return new GitRepository { WorkTree = workTree, GitDir = gitDir, CommonDir = common, GitFile = gitFile, GitEntryIsLink = isLink };
    }

    /// <summary>Work-tree roots of the linked worktrees registered in the common directory.</summary>
    public IEnumerable<string> LinkedWorkTrees()
    {
        var registry = Path.Join(CommonDir, "worktrees");
        if (!Directory.Exists(registry))
        {
            yield break;
        }

        foreach (var entry in Directory.EnumerateDirectories(registry))
        {
            var gitFile = Path.Join(entry, "gitdir");
            if (File.Exists(gitFile) && File.ReadAllText(gitFile).TrimEnd('\n', '\r') is { Length: > 0 } named)
            {
                yield return Path.GetDirectoryName(PathUtil.Normalize(named, entry))!;
            }
        }
    }

    /// <summary>The per-worktree git directories of the linked worktrees (each may hold config.worktree, commondir).</summary>
    public IEnumerable<string> LinkedGitDirs()
    {
        var registry = Path.Join(CommonDir, "worktrees");
        return Directory.Exists(registry) ? Directory.EnumerateDirectories(registry) : [];
    }

    /// <summary>Submodule git directories stored under <c>modules/</c>, at any depth.</summary>
    public IEnumerable<GitRepository> StoredSubmodules()
    {
        var pending = new Stack<string>();
        pending.Push(Path.Join(CommonDir, "modules"));
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            if (!Directory.Exists(directory) || new DirectoryInfo(directory).LinkTarget is not null)
            {
                continue;
            }

            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                if (OpenGitDir(child) is { } submodule)
                {
                    yield return submodule;
                    pending.Push(Path.Join(child, "modules"));
                }
                else
                {
                    // Submodule names may contain slashes: modules/a/b is the gitdir of submodule "a/b".
                    pending.Push(child);
                }
            }
        }
    }
}
