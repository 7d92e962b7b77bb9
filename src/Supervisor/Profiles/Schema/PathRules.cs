using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// What each <c>filesystem</c> key grants, in one place. Reading includes execute, so that programs
/// and libraries under a readable directory can run. Read-write includes execute too, because a
/// project directory is where builds put the programs they then run. Write-only grants do not:
/// a directory the child may only drop files into is not a place it may run programs from.
/// </summary>
internal static class PathRules
{
    public static string KeyOf(PathRule rule) => rule switch
    {
        PathRule.Allow => "allow",
        PathRule.Read => "read",
        PathRule.Write => "write",
        PathRule.AllowFile => "allow_file",
        PathRule.ReadFile => "read_file",
        PathRule.WriteFile => "write_file",
        PathRule.Deny => "deny",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    public static bool TryParseKey(string key, out PathRule rule)
    {
        foreach (var candidate in Enum.GetValues<PathRule>())
        {
            if (KeyOf(candidate) == key)
            {
                rule = candidate;
                return true;
            }
        }

        rule = default;
        return false;
    }

    public static FsAccess AccessOf(PathRule rule) => rule switch
    {
        PathRule.Allow or PathRule.AllowFile => FsAccess.All,
        PathRule.Read or PathRule.ReadFile => FsAccess.ReadExecute,
        PathRule.Write or PathRule.WriteFile => FsAccess.Write,
        _ => FsAccess.None,
    };

    public static bool IsFileRule(PathRule rule) => rule is PathRule.AllowFile or PathRule.ReadFile or PathRule.WriteFile;
}
