namespace Nono.Sandbox;

/// <summary>Path comparisons on normalised absolute paths (no trailing slash, no dot segments).</summary>
public static class PathUtil
{
    /// <summary>Makes <paramref name="path"/> absolute against <paramref name="baseDirectory"/>,
    /// collapses dot segments and strips a trailing separator. Symlinks are not resolved.</summary>
    public static string Normalize(string path, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path, baseDirectory);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsSameOrBelow(string path, string ancestor)
    {
        if (ancestor == "/")
        {
            return path.StartsWith('/');
        }

        return path == ancestor
            || (path.Length > ancestor.Length && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] == '/');
    }
}
