namespace Nono.Sandbox.Persistence;

/// <summary>Collects protected paths inside the writable area, one row per path (the first reason wins),
/// and adds the pins that keep each of them from being renamed away.</summary>
internal sealed class PathTable(WritableArea writable)
{
    private readonly Dictionary<string, ProtectedPath> _rows = new(StringComparer.Ordinal);

    public bool Covers(string path) => writable.Covers(path);

    /// <summary>Adds a path to make read-only (or to watch, when it is absent and cannot be created empty).</summary>
    public void Add(string path, bool isDirectory, string reason, bool createDirectory = false)
    {
        if (!writable.Covers(path) || _rows.TryGetValue(path, out var existing) && existing.Protection == Protection.ReadOnly)
        {
            return;
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new PolicyException(
                $"'{path}' is a symbolic link inside a writable grant: {reason}. The sandboxed program could replace the link, "
                + "and nono cannot make a link itself read-only. Replace it with what it points to, or grant a narrower directory.");
        }

        if (Directory.Exists(path) || info.Exists)
        {
            _rows[path] = new ProtectedPath(path, Protection.ReadOnly, Directory.Exists(path), reason);
        }
        else if (isDirectory && createDirectory)
        {
            _rows[path] = new ProtectedPath(path, Protection.ReadOnly, IsDirectory: true, reason, Create: true);
        }
        else
        {
            _rows.TryAdd(path, new ProtectedPath(path, Protection.Watched, isDirectory, reason));
        }
    }

    /// <summary>Adds a directory that must stay where it is (its content stays writable).</summary>
    /// <param name="willBeCreated">The directory may be absent now because nono creates it (above a created read-only directory).</param>
    public void Pin(string directory, string reason, bool willBeCreated = false)
    {
        if (!writable.CanReplace(directory) || new DirectoryInfo(directory).LinkTarget is not null)
        {
            return;
        }

        var exists = Directory.Exists(directory);
        if (exists || willBeCreated)
        {
            _rows.TryAdd(directory, new ProtectedPath(directory, Protection.Pinned, IsDirectory: true, reason, Create: !exists));
        }
    }

    public IReadOnlyList<ProtectedPath> Build()
    {
        foreach (var row in _rows.Values.Where(row => row.Protection != Protection.Watched).ToArray())
        {
            for (var ancestor = Path.GetDirectoryName(row.Path); ancestor is not null && writable.CanReplace(ancestor); ancestor = Path.GetDirectoryName(ancestor))
            {
                if (new DirectoryInfo(ancestor).LinkTarget is not null)
                {
                    throw new PolicyException(
                        $"'{ancestor}' is a symbolic link inside a writable grant, on the way to '{row.Path}' ({row.Reason}): the program could "
                        + "point the link elsewhere and nono cannot pin a link. Replace the link with the directory it points to, or grant a narrower directory.");
                }

                Pin(ancestor, $"holds {row.Path}: renamed, it would carry that protection away and free the name for a planted copy", row.Create);
            }
        }

        return [.. _rows.Values.OrderBy(row => row.Path.Count(c => c == '/')).ThenBy(row => row.Path, StringComparer.Ordinal)];
    }
}
