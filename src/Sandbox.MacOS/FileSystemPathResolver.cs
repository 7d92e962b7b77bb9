namespace Nono.Sandbox.MacOS;

/// <summary>
/// Resolves symbolic links component by component against the real file system, like realpath(3)
/// but tolerant of a tail that does not exist yet (a grant may name a directory the child creates).
/// </summary>
public sealed class FileSystemPathResolver : IPathResolver
{
    // The limit the kernel applies (MAXSYMLINKS on macOS is 32; Linux allows 40).
    private const int MaxLinks = 32;

    public string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Path.IsPathRooted(path))
        {
            throw new ArgumentException($"'{path}' is not absolute.", nameof(path));
        }

        var pending = new List<string>(Split(path));
        var current = "/";
        var links = 0;
        var index = 0;
        while (index < pending.Count)
        {
            var name = pending[index];
            if (name == ".")
            {
                index++;
                continue;
            }

            if (name == "..")
            {
                // current is already free of links, so its lexical parent is its real parent.
                current = Path.GetDirectoryName(current) ?? "/";
                index++;
                continue;
            }

            var candidate = Path.Join(current, name);
            var target = LinkTarget(candidate);
            if (target is not null)
            {
                if (++links > MaxLinks)
                {
                    throw new PolicyException($"The path '{Profile.Sbpl.Printable(path)}' has too many levels of symbolic links.");
                }

                if (Path.IsPathRooted(target))
                {
                    current = "/";
                }

                // Walk the link's target in place of the link, then whatever followed it.
                pending = [.. Split(target), .. pending.Skip(index + 1)];
                index = 0;
                continue;
            }

            if (!Path.Exists(candidate))
            {
                // Nothing below a missing (or unreadable) component can be followed: keep the rest as given.
                return pending.Skip(index).Aggregate(current, Append);
            }

            current = candidate;
            index++;
        }

        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Append(string directory, string name) => name switch
    {
        "." => directory,
        ".." => Path.GetDirectoryName(directory) ?? "/",
        _ => Path.Join(directory, name),
    };

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
