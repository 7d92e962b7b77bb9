namespace Nono.Sandbox;

/// <summary>
/// Paths that hold credentials or history. They are never granted, even when a directory above
/// them is: the platform layer masks them (Linux: an empty read-only tmpfs or file bind in the
/// child's mount namespace; macOS: a deny rule after the grants).
/// </summary>
public static class SensitivePaths
{
    /// <summary>Relative to the user's home directory.</summary>
    public static IReadOnlyList<string> UnderHome { get; } =
    [
        ".ssh",
        ".aws",
        ".gnupg",
        ".config/gcloud",
        ".kube",
        ".docker",
        ".azure",
        ".netrc",
        ".git-credentials",
        ".config/git/credentials",
        ".pgpass",
        ".npmrc",
        ".pypirc",
        ".config/gh",
        ".local/share/keyrings",
        ".password-store",
        ".bash_history",
        ".zsh_history",
        ".python_history",
        ".node_repl_history",
        ".psql_history",
        ".mysql_history",
        ".local/share/fish/fish_history",
    ];

    /// <summary>Absolute sensitive paths for the given home directory.</summary>
    public static IEnumerable<string> For(string home) =>
        UnderHome.Select(relative => System.IO.Path.Join(home, relative));

    /// <summary>True when <paramref name="path"/> is, or lies inside, a sensitive path.</summary>
    public static bool Covers(string home, string path) =>
        For(home).Any(sensitive => PathUtil.IsSameOrBelow(path, sensitive));
}
