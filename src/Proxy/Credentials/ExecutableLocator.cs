using System.Diagnostics.CodeAnalysis;

namespace Nono.Proxy.Credentials;

/// <summary>
/// Finds the program a helper command names. Done here rather than by the process launcher so that a
/// missing program gets its own clear error, and so that the PATH searched is the one the helper runs with.
/// </summary>
internal static class ExecutableLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// A name containing '/' is a path (relative ones are taken from the current directory); any other
    /// name is looked up in the absolute directories of <paramref name="searchPath"/>. Relative PATH
    /// entries such as "." are skipped: they would make the result depend on the working directory.
    /// </summary>
    public static bool TryFind(string name, string searchPath, [NotNullWhen(true)] out string? path)
    {
        path = null;
        if (name.Length == 0)
        {
            return false;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(name);
            if (IsExecutableFile(full))
            {
                path = full;
            }

            return path is not null;
        }

        foreach (var directory in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Path.IsPathRooted(directory))
            {
                continue;
            }

            var candidate = Path.Combine(directory, name);
            if (IsExecutableFile(candidate))
            {
                path = candidate;
                return true;
            }
        }

        return false;
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}
