namespace Nono.Supervisor.Git;

/// <summary>
/// The git configuration a sandboxed program gets: sanitised copies of the user's global files
/// (<c>$GIT_CONFIG_GLOBAL</c>, else <c>$XDG_CONFIG_HOME/git/config</c> then <c>~/.gitconfig</c>) and of
/// the system file, written 0400 into a private directory of the session, and the variables that
/// point git at them (<c>GIT_CONFIG_GLOBAL</c>, <c>GIT_CONFIG_SYSTEM</c>). git then never opens the
/// originals, which the sandbox does not grant, so it neither fails on them nor sees what they hold.
/// </summary>
internal sealed record GitSessionConfig(IReadOnlyList<KeyValuePair<string, string>> Variables, GitSanitizeReport Report)
{
    public const string DirectoryName = "nono-git";

    /// <summary>Where git installations look for their system file, in the order they are merged.</summary>
    private static readonly string[] SystemFiles =
    [
        "/etc/gitconfig",
        "/opt/homebrew/etc/gitconfig",
        "/usr/local/etc/gitconfig",
        "/Library/Developer/CommandLineTools/usr/share/git-core/gitconfig",
        "/Applications/Xcode.app/Contents/Developer/usr/share/git-core/gitconfig",
    ];

    /// <param name="home">The user's home directory.</param>
    /// <param name="variables">nono's own environment (GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM, GIT_CONFIG_NOSYSTEM, XDG_CONFIG_HOME).</param>
    /// <param name="parent">A private directory of the session to create <see cref="DirectoryName"/> in.</param>
    public static GitSessionConfig Write(string home, IReadOnlyDictionary<string, string> variables, string parent)
    {
        var directory = Path.Join(parent, DirectoryName);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (new DirectoryInfo(directory).LinkTarget is not null)
        {
            throw new IOException($"{directory} is a symbolic link");
        }

        var report = new GitSanitizeReport();
        var sanitizer = new GitConfigSanitizer(home, report);
        var writer = new GitConfigWriter(directory);
        var configHome = variables.GetValueOrDefault("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg)
            ? xdg
            : Path.Join(home, ".config");

        var global = variables.GetValueOrDefault("GIT_CONFIG_GLOBAL") is { Length: > 0 } chosen
            ? [chosen]
            : new[] { Path.Join(configHome, "git", "config"), Path.Join(home, ".gitconfig") };
        var defaults = new[] { ("excludesFile", "ignore"), ("attributesFile", "attributes") }
            .Select(pair => (pair.Item1, Path.Join(configHome, "git", pair.Item2)))
            .Where(pair => File.Exists(pair.Item2));
        var globalPath = writer.Write("global.gitconfig", sanitizer.Sanitize(global), defaults);

        IEnumerable<string> system = IsTrue(variables.GetValueOrDefault("GIT_CONFIG_NOSYSTEM"))
            ? []
            : variables.GetValueOrDefault("GIT_CONFIG_SYSTEM") is { Length: > 0 } systemChosen ? [systemChosen] : SystemFiles;
        var systemPath = writer.Write("system.gitconfig", sanitizer.Sanitize(system));

        return new GitSessionConfig([new("GIT_CONFIG_GLOBAL", globalPath), new("GIT_CONFIG_SYSTEM", systemPath)], report);
    }

    /// <summary>Files that could not be used, and why (worth telling the user: git outside fails on them too).</summary>
    public IEnumerable<string> Problems() => Report.Problems.Select(problem => $"git configuration: {problem}");

    /// <summary>One line for <c>-v</c>: what was left out, by name only; null when nothing was.</summary>
    public string? DescribeDropped() => Report.Dropped.Count == 0
        ? null
        : $"git configuration: left out {string.Join(", ", Report.Dropped)} (they run programs, hold credentials or are not known to be safe; see README)";

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}
