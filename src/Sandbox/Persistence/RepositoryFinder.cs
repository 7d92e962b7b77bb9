using System.IO.Enumeration;

namespace Nono.Sandbox.Persistence;

/// <summary>
/// Finds every repository git would use from somewhere in a directory tree: work trees (a
/// <c>.git</c> directory or file), bare repositories, and the submodule git directories stored in
/// each. Symbolic links are not followed (they are not part of the tree a grant covers), and the
/// walk does not enter git directories. It is bounded: a tree larger than
/// <see cref="MaxDirectories"/> is refused rather than half searched.
/// </summary>
public static class RepositoryFinder
{
    public const int MaxDirectories = 200_000;

    /// <summary>Repositories found at or below <paramref name="root"/>, and those whose work tree lies above it.</summary>
    public static IReadOnlyList<GitRepository> Find(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var found = new Dictionary<string, GitRepository>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            foreach (var repository in Above(root).Concat(Below(root)))
            {
                Add(found, repository);
            }
        }

        return [.. found.Values];
    }

    /// <summary>Repositories whose work tree (or bare directory) is a strict ancestor of <paramref name="path"/>.</summary>
    public static IEnumerable<GitRepository> Above(string path)
    {
        for (var directory = Path.GetDirectoryName(path); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (GitRepository.Open(directory) is { } repository)
            {
                yield return repository;
            }
        }
    }

    /// <summary>Repositories at or below <paramref name="root"/>.</summary>
    public static IEnumerable<GitRepository> Below(string root)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        var pending = new Stack<string>();
        pending.Push(root);
        var visited = 0;
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            if (++visited > MaxDirectories)
            {
                throw new PolicyException(
                    $"'{root}' holds more than {MaxDirectories} directories; nono looks in every writable directory for git "
                    + "repositories to protect and will not search one this large. Grant a narrower directory, or pass --allow-persistence "
                    + "if the program is trusted not to plant hooks there.");
            }

            var names = ChildDirectories(directory, out var hasDotGit, out var looksBare);
            if (hasDotGit && GitRepository.Open(directory) is { } repository)
            {
                yield return repository;
            }
            else if (looksBare && GitRepository.Open(directory) is { } bare)
            {
                yield return bare;
                continue;
            }

            foreach (var name in names)
            {
                if (name != ".git")
                {
                    pending.Push(Path.Join(directory, name));
                }
            }
        }
    }

    private static void Add(Dictionary<string, GitRepository> found, GitRepository repository)
    {
        // Keyed by the way in as well as the git directory: a submodule's stored git directory and its
        // work tree's .git file lead to the same place, and both are protected.
        if (found.TryAdd($"{repository.GitDir}\0{repository.GitFile}\0{repository.WorkTree}", repository))
        {
            foreach (var submodule in repository.StoredSubmodules())
            {
                found.TryAdd($"{submodule.GitDir}\0\0", submodule);
            }
        }
    }

    /// <summary>The real (not linked) subdirectories of <paramref name="directory"/>, and whether it has a
    /// <c>.git</c> entry or the HEAD file of a bare repository.</summary>
    private static List<string> ChildDirectories(string directory, out bool hasDotGit, out bool looksBare)
    {
        bool dotGit = false, head = false;
        var names = new List<string>();
        try
        {
            var entries = new FileSystemEnumerable<(string Name, bool Directory)>(
                directory,
                (ref FileSystemEntry entry) => (entry.FileName.ToString(),
                    entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0),
                new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false });
            foreach (var (name, isDirectory) in entries)
            {
                dotGit |= name == ".git";
                head |= name == "HEAD" && !isDirectory;
                if (isDirectory)
                {
                    names.Add(name);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A directory the user cannot read cannot be written by the sandboxed program either.
        }

        hasDotGit = dotGit;
        looksBare = head;
        return names;
    }
}
