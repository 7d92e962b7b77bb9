namespace Nono.Sandbox;

/// <summary>
/// Resolves every symbolic link in an absolute path, like realpath(3), without requiring the
/// final components to exist. The kernel enforces grants on the objects paths lead to, so
/// comparing a deny with a grant is only sound on resolved paths: `/home/u/.ssh` is inside a
/// grant of `/var/home/u` when /home links to /var/home.
/// </summary>
public static class PathCanonicalizer
{
    private const int MaxLinks = 40; // the kernel's own limit (ELOOP)

    public static string Canonicalize(string path)
    {
        if (!System.IO.Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not absolute.", nameof(path));
        }

        var pending = new LinkedList<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var links = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            var part = node.Value;
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = System.IO.Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var candidate = System.IO.Path.Join(current, part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new PolicyException($"Too many symbolic links while resolving '{path}'.");
            }

            if (target.StartsWith('/'))
            {
                current = "/";
            }

            foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.AddFirst(piece);
            }
        }

        return current;
    }
}
