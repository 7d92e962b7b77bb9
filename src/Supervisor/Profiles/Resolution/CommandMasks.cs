using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// <c>commands.deny</c>: each named program found in the directories of PATH and the system
/// program directories is denied by its real path, which the sandbox masks in its mount namespace
/// (the file then can be neither executed nor read, so not copied either). A name that is a link
/// to a program with several names (mkfs.ext4 to mke2fs) blocks that program under every name.
/// Without a mount namespace the masks cannot be made and the session is refused, not weakened.
/// </summary>
internal static class CommandMasks
{
    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public static IReadOnlyList<string> Resolve(IReadOnlyList<Located<string>> commands, HostEnvironment host)
    {
        if (commands.Count == 0)
        {
            return [];
        }

        var directories = (host.Variables.GetValueOrDefault("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathFullyQualified)
            .Concat(SystemDirectories)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var masks = new List<string>();
        foreach (var command in commands)
        {
            foreach (var directory in directories)
            {
                var candidate = Path.Join(directory, command.Value);
                if (File.Exists(candidate) && RealPath.Resolve(PathUtil.Normalize(candidate, "/")) is { } real && File.Exists(real))
                {
                    masks.Add(real);
                }
            }
        }

        return [.. masks.Distinct(StringComparer.Ordinal)];
    }
}
