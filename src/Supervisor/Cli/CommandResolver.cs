namespace Nono.Supervisor.Cli;

/// <summary>Finds the program to run the way a shell would: a name with a slash is a path,
/// anything else is looked up in PATH.</summary>
internal static class CommandResolver
{
    public static string? Resolve(string command, string workingDirectory, string? searchPath)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(command, workingDirectory);
            return File.Exists(path) ? path : null;
        }

        foreach (var directory in (searchPath ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Join(directory.Length == 0 ? workingDirectory : directory, command);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate, workingDirectory);
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return true;
        }

        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & AnyExecute) != 0;
    }
}
