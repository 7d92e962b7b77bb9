namespace Nono.Supervisor.Profiles;

/// <summary>
/// The facts about the calling user that profiles depend on: home (and the homes the password
/// database knows), working directory, temp and XDG directories, and a snapshot of the caller's environment. Captured once so that resolution is
/// deterministic and tests can substitute temporary directories without touching the process.
/// </summary>
internal sealed record HostEnvironment
{
    public required string Home { get; init; }

    /// <summary>The directory <c>$WORKDIR</c> stands for: where the command was started, unless overridden.</summary>
    public required string WorkDir { get; init; }

    public required string TmpDir { get; init; }

    /// <summary>The caller's environment, used for XDG directories and the agent-socket check. Never logged.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Home directories from the password database; none unless taken from the system.</summary>
    public UserAccounts Accounts { get; init; } = UserAccounts.None;

    /// <summary>The homes whose credentials are hidden from the program.</summary>
    public SensitiveHomes SensitiveHomes() => Profiles.SensitiveHomes.For(Home, Accounts);

    public string ConfigHome => XdgOr("XDG_CONFIG_HOME", ".config");

    public string DataHome => XdgOr("XDG_DATA_HOME", ".local/share");

    public string CacheHome => XdgOr("XDG_CACHE_HOME", ".cache");

    public string StateHome => XdgOr("XDG_STATE_HOME", ".local/state");

    /// <summary>Where user profiles live: <c>$XDG_CONFIG_HOME/nono/profiles</c>.</summary>
    public string UserProfileDirectory => Path.Join(ConfigHome, "nono", "profiles");

    /// <summary>A snapshot of this process's environment.</summary>
    public static Dictionary<string, string> ProcessVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return variables;
    }

    public static HostEnvironment FromProcess(string? workDir = null)
    {
        var variables = ProcessVariables();

        var home = variables.GetValueOrDefault("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        }

        if (string.IsNullOrEmpty(home) || !Path.IsPathFullyQualified(home))
        {
            throw new ProfileException("HOME is not set to an absolute path; nono needs it to resolve profile paths. Set HOME and try again.");
        }

        var tmp = variables.GetValueOrDefault("TMPDIR");
        return new HostEnvironment
        {
            Home = Sandbox.PathUtil.Normalize(home, "/"),
            WorkDir = Sandbox.PathUtil.Normalize(workDir ?? System.Environment.CurrentDirectory, System.Environment.CurrentDirectory),
            TmpDir = Sandbox.PathUtil.Normalize(string.IsNullOrEmpty(tmp) || !Path.IsPathFullyQualified(tmp) ? "/tmp" : tmp, "/"),
            Variables = variables,
            Accounts = UserAccounts.FromSystem(),
        };
    }

    private string XdgOr(string variable, string underHome)
    {
        // The XDG base directory specification says relative values are invalid and must be ignored.
        var value = Variables.GetValueOrDefault(variable);
        return !string.IsNullOrEmpty(value) && Path.IsPathFullyQualified(value)
            ? Sandbox.PathUtil.Normalize(value, "/")
            : Path.Join(Home, underHome);
    }
}
