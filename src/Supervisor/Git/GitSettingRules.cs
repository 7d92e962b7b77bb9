using System.Collections.Frozen;

namespace Nono.Supervisor.Git;

/// <summary>
/// Which settings of the user's git configuration reach a sandboxed program. An allow-list: a
/// section not named here is left out whole, because git keeps adding keys that run programs or
/// carry secrets, and a setting that is missing costs a default while one that runs a command
/// costs the sandbox. What is kept describes the user (identity), how git treats files and history,
/// and how it looks; none of it runs a program, names a credential or sends anything anywhere.
/// </summary>
internal static class GitSettingRules
{
    /// <summary>A section's rule: its top-level keys are kept unless dropped (or only those listed),
    /// and its subsections only when <see cref="Subsections"/> says so.</summary>
    private sealed record SectionRule(string Why, FrozenSet<string>? OnlyKeys = null, FrozenSet<string>? DroppedKeys = null, bool Subsections = false);

    private static readonly FrozenDictionary<string, SectionRule> Sections = new Dictionary<string, SectionRule>
    {
        // Who commits. user.signingKey is left out with commit/tag.gpgSign: signing needs the key in
        // ~/.gnupg or ~/.ssh, which the program never gets, so commits made inside are unsigned.
        ["user"] = new("identity", OnlyKeys: Keys("name", "email", "useconfigonly")),
        ["author"] = new("identity", OnlyKeys: Keys("name", "email")),
        ["committer"] = new("identity", OnlyKeys: Keys("name", "email")),

        // How files are read and written. Left out: fsmonitor, sshcommand, pager, editor, askpass,
        // gitproxy, hookspath, worktree (each names a program or a place to run programs from), and
        // excludesfile/attributesfile, which nono replaces with copies the program can read.
        ["core"] = new("file handling", OnlyKeys: Keys(
            "autocrlf", "eol", "safecrlf", "filemode", "ignorecase", "precomposeunicode", "quotepath",
            "whitespace", "abbrev", "compression", "loosecompression", "bigfilethreshold", "checkstat",
            "trustctime", "symlinks", "logallrefupdates", "preloadindex", "untrackedcache", "splitindex",
            "commentchar", "commentstring", "protectntfs", "protecthfs", "longpaths", "warnambiguousrefs",
            "sparsecheckout", "sparsecheckoutcone", "multipackindex", "deltabasecachelimit",
            "packedgitlimit", "packedgitwindowsize", "fsync", "fsyncmethod")),

        // templatedir is left out: a template directory copies hooks into every new repository.
        ["init"] = new("new repositories", DroppedKeys: Keys("templatedir")),
        ["color"] = new("colours", Subsections: true),
        ["column"] = new("layout"),
        ["advice"] = new("hints"),
        ["help"] = new("help and autocorrect"),
        ["pretty"] = new("named log formats"),
        ["log"] = new("log output"),
        ["status"] = new("status output"),
        ["branch"] = new("branch defaults"),
        ["tag"] = new("tag defaults", DroppedKeys: Keys("gpgsign", "forcesignannotated")),
        ["commit"] = new("commit defaults", DroppedKeys: Keys("gpgsign", "template")),
        ["push"] = new("push defaults", DroppedKeys: Keys("gpgsign")),
        ["pull"] = new("pull defaults"),
        ["fetch"] = new("fetch defaults"),
        ["rebase"] = new("rebase defaults"),
        ["rerere"] = new("recorded resolutions"),
        ["checkout"] = new("checkout defaults"),
        ["clone"] = new("clone defaults"),
        ["am"] = new("patch application"),
        ["apply"] = new("patch application"),
        ["grep"] = new("grep defaults"),
        ["versionsort"] = new("tag sorting"),
        ["feature"] = new("feature presets"),
        ["index"] = new("index format"),
        ["pack"] = new("pack tuning"),
        ["gc"] = new("housekeeping"),
        ["transfer"] = new("object checks"),
        ["protocol"] = new("allowed protocols", Subsections: true),

        // Only the top-level keys: merge.<driver>.driver, diff.<driver>.textconv and .command run programs,
        // as do diff.external and submodule.<name>.update = !command.
        ["merge"] = new("merge defaults"),
        ["diff"] = new("diff output", DroppedKeys: Keys("external")),
        ["submodule"] = new("submodule defaults"),
        ["blame"] = new("blame output", DroppedKeys: Keys("ignorerevsfile")),

        // Directories the user trusts although another account owns them.
        ["safe"] = new("trusted directories"),

        // url.<base>.insteadOf rewrites; a base or value with credentials in it is left out below.
        ["url"] = new("URL rewrites", Subsections: true),

        // alias.* is kept except shell aliases ('!...') and aliases that pass -c, --config-env or
        // --exec-path, which could put back any setting left out here (see IsSafeAlias).
        ["alias"] = new("aliases"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] ConfigInjectingOptions = ["-c", "--config-env", "--exec-path"];

    /// <summary>True when <paramref name="entry"/> may reach the program.</summary>
    public static bool Keeps(GitConfigEntry entry)
    {
        if (!Sections.TryGetValue(entry.Section, out var rule))
        {
            return false;
        }

        if (entry.Subsection is not null ? !rule.Subsections : !KeyAllowed(rule, entry.Key))
        {
            return false;
        }

        if (UrlCredentials.Carries(entry.Subsection) || UrlCredentials.Carries(entry.Value))
        {
            return false;
        }

        return entry.Section != "alias" || IsSafeAlias(entry.Value);
    }

    /// <summary>An alias that git expands into its own arguments and nothing else.</summary>
    public static bool IsSafeAlias(string? value)
    {
        var text = value?.TrimStart() ?? string.Empty;
        if (text.Length == 0 || text.StartsWith('!'))
        {
            return false;
        }

        return !text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Any(word => ConfigInjectingOptions.Any(option => word == option || word.StartsWith(option + "=", StringComparison.Ordinal)));
    }

    private static bool KeyAllowed(SectionRule rule, string key) =>
        (rule.OnlyKeys?.Contains(key) ?? true) && !(rule.DroppedKeys?.Contains(key) ?? false);

    private static FrozenSet<string> Keys(params string[] keys) => keys.ToFrozenSet(StringComparer.Ordinal);
}
