namespace Nono.Supervisor.Profiles;

/// <summary>
/// Resolves every symbolic link in an absolute path, as realpath(3) does, without native calls.
/// Grants are made on the real path: the kernel enforces on the object a path leads to, macOS
/// Seatbelt matches real paths only, and a link must not smuggle a sensitive directory past the check.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40;

    /// <summary>The resolved path, or null when some component does not exist.</summary>
    public static string? Resolve(string absolutePath)
    {
        var pending = new Stack<string>(Components(absolutePath).Reverse());
        var resolved = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }

            var candidate = Path.Join(resolved, part);
            FileSystemInfo info = new FileInfo(candidate);
            if (!info.Exists && !Directory.Exists(candidate))
            {
                return null;
            }

            var target = info.LinkTarget;
            if (target is null)
            {
                resolved = candidate;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            foreach (var component in Components(target).Reverse())
            {
                pending.Push(component);
            }

            if (target.StartsWith('/'))
            {
                resolved = "/";
            }
        }

        return resolved;
    }

    private static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".");
}
