using System.Security.Cryptography;

namespace Nono.Sandbox.Persistence;

/// <summary>Lists what a repository would run: the files in its hooks directories and the
/// command-running variables of its configuration files.</summary>
public static class RepositoryScan
{
    /// <summary>Hooks larger than this are hashed by size and time only.</summary>
    private const long MaxHashedBytes = 4 << 20;

    public static IEnumerable<Finding> Of(GitRepository repository, HomeLocations home)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(home);
        var configFiles = repository.LinkedGitDirs().Prepend(repository.GitDir).Distinct(StringComparer.Ordinal)
            .Select(gitDir => Path.Join(gitDir, "config.worktree"))
            .Prepend(repository.ConfigPath)
            .ToArray();
        var hooksDirectories = new List<string> { repository.DefaultHooksPath };
        foreach (var file in configFiles)
        {
            GitConfigFile? config = null;
            string? unreadable = null;
            try
            {
                config = GitConfigFile.Load(file);
            }
            catch (GitConfigFormatException e)
            {
                unreadable = e.Message;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (unreadable is not null)
            {
                yield return new Finding(FindingKind.UnreadableConfig, file, string.Empty, unreadable, "git may read it differently");
            }

            foreach (var entry in config?.Entries ?? [])
            {
                if (CommandSettings.Of(entry) is { } reason)
                {
                    yield return new Finding(FindingKind.Setting, file, entry.Name, entry.Value ?? string.Empty, reason);
                }

                if (entry is { Section: "core", Subsection: null, Key: "hookspath", Value: { Length: > 0 } value }
                    && home.ExpandConfigPath(value, repository.WorkTree ?? repository.GitDir) is { } directory)
                {
                    hooksDirectories.Add(directory);
                }
            }
        }

        foreach (var directory in hooksDirectories.Distinct(StringComparer.Ordinal))
        {
            foreach (var hook in Hooks(directory))
            {
                yield return hook;
            }
        }
    }

    /// <summary>Files git could run from a hooks directory: every name but the shipped samples and what nono disabled.</summary>
    public static IEnumerable<Finding> Hooks(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        try
        {
            return Directory.EnumerateFileSystemEntries(directory)
                .Where(path => !Directory.Exists(path) || new DirectoryInfo(path).LinkTarget is not null)
                .Where(path => !path.EndsWith(".sample", StringComparison.Ordinal) && !Path.GetFileName(path).Contains(Quarantine.Suffix, StringComparison.Ordinal))
                .Select(path => new Finding(FindingKind.Hook, path, Path.GetFileName(path), Fingerprint(path), "git runs it as a hook"))
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            return "link:" + target;
        }

        if (info.Length > MaxHashedBytes)
        {
            return $"size:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        }

        try
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unreadable:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        }
    }
}
