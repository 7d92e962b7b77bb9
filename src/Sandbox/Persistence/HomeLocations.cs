namespace Nono.Sandbox.Persistence;

/// <summary>The user's home and configuration directory, as the user's own programs outside the sandbox will see them.</summary>
public sealed record HomeLocations(string Home, string ConfigHome)
{
    /// <summary>From HOME and XDG_CONFIG_HOME (git, fish and systemd honour it; an empty or relative value is ignored, as they do).</summary>
    public static HomeLocations FromEnvironment(string home, string? xdgConfigHome) =>
        new(home, xdgConfigHome is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg) ? PathUtil.Normalize(xdg, "/") : Path.Join(home, ".config"));

    /// <summary>The absolute paths a home-relative table entry stands for (".config/..." also under XDG_CONFIG_HOME).</summary>
    public IEnumerable<string> Resolve(string relative)
    {
        var inHome = Path.Join(Home, relative);
        yield return inHome;
        if (relative.StartsWith(".config/", StringComparison.Ordinal))
        {
            var inConfig = Path.Join(ConfigHome, relative[".config/".Length..]);
            if (inConfig != inHome)
            {
                yield return inConfig;
            }
        }
    }

    /// <summary>The global and system configuration files git reads for every repository.</summary>
    public IEnumerable<string> GlobalGitConfigFiles() =>
        [Path.Join(Home, ".gitconfig"), Path.Join(ConfigHome, "git", "config"), "/etc/gitconfig"];

    /// <summary>
    /// A path-valued git setting made absolute as git does: <c>~/</c> is the home, a relative path is
    /// relative to <paramref name="relativeTo"/>. Null for forms nono cannot resolve the way git would
    /// (<c>~user/</c>, <c>%(prefix)/</c>); those never name a place inside a grant of this user's.
    /// </summary>
    public string? ExpandConfigPath(string value, string relativeTo)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith("~/", StringComparison.Ordinal) || value == "~")
        {
            return PathUtil.Normalize(value.Length > 2 ? value[2..] : ".", Home);
        }

        if (value.StartsWith('~') || value.StartsWith("%(prefix)", StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        return PathUtil.Normalize(value, relativeTo);
    }
}
