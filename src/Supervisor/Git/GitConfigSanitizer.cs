namespace Nono.Supervisor.Git;

/// <summary>A part of a sanitised configuration file, in the order git reads it.</summary>
internal abstract record GitConfigItem;

/// <summary>A setting kept as it was.</summary>
internal sealed record KeptSetting(GitConfigEntry Entry) : GitConfigItem;

/// <summary><c>core.excludesFile</c> or <c>core.attributesFile</c>: kept, pointing at a copy of <see cref="SourcePath"/>.</summary>
internal sealed record CopiedFileSetting(GitConfigEntry Entry, string SourcePath) : GitConfigItem;

/// <summary><c>includeIf.&lt;condition&gt;.path</c>: git decides the condition; the included file is sanitised too.</summary>
internal sealed record ConditionalInclude(string Condition, SanitizedGitFile File) : GitConfigItem;

/// <summary>The sanitised settings of one file as git will read it (unconditional includes inlined).</summary>
internal sealed record SanitizedGitFile(IReadOnlyList<GitConfigItem> Items);

/// <summary>What was left out, for <c>-v</c>: setting names with subsections elided (a subsection can be a
/// URL with a token in it), and files that could not be used, with the reason. Never a value.</summary>
internal sealed class GitSanitizeReport
{
    public SortedSet<string> Dropped { get; } = new(StringComparer.Ordinal);

    public List<string> Problems { get; } = [];
}

/// <summary>
/// Reads git configuration files, follows <c>include.path</c> (inlined where it stands, as git reads
/// it) and <c>includeIf.*.path</c> (kept as a condition over a sanitised copy, so that git still
/// decides by repository, branch or remote), and keeps what <see cref="GitSettingRules"/> allows.
/// A file git would refuse contributes nothing; a file that does not exist is skipped, as git does.
/// </summary>
internal sealed class GitConfigSanitizer(string home, GitSanitizeReport report)
{
    /// <summary>git's own limit on nested includes.</summary>
    private const int MaxIncludeDepth = 10;

    private const long MaxFileBytes = 1 << 20;

    public GitSanitizeReport Report => report;

    /// <summary>The files in reading order (later ones win) merged into one sanitised file.</summary>
    public SanitizedGitFile Sanitize(IEnumerable<string> files)
    {
        var items = new List<GitConfigItem>();
        foreach (var file in files)
        {
            AddFile(file, depth: 0, items);
        }

        return new SanitizedGitFile(items);
    }

    private void AddFile(string file, int depth, List<GitConfigItem> items)
    {
        if (!File.Exists(file))
        {
            return;
        }

        IReadOnlyList<GitConfigEntry> entries;
        try
        {
            if (new FileInfo(file).Length > MaxFileBytes)
            {
                report.Problems.Add($"{file} is larger than 1 MiB; left out");
                return;
            }

            entries = GitConfigParser.Parse(File.ReadAllText(file), file);
        }
        catch (GitConfigSyntaxException error)
        {
            report.Problems.Add($"{error.Message}; git would refuse this file, so nothing of it is used");
            return;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            report.Problems.Add($"{file} cannot be read ({error.Message}); left out");
            return;
        }

        foreach (var entry in entries)
        {
            Add(entry, depth, items);
        }
    }

    private void Add(GitConfigEntry entry, int depth, List<GitConfigItem> items)
    {
        if (entry is { Section: "include", Subsection: null, Key: "path" } or { Section: "includeif", Subsection: not null, Key: "path" })
        {
            Include(entry, depth, items);
        }
        else if (entry is { Section: "core", Subsection: null, Key: "excludesfile" or "attributesfile" })
        {
            if (ExpandPath(entry.Value, entry.SourceFile, relativeToFile: false) is { } path && File.Exists(path))
            {
                items.Add(new CopiedFileSetting(entry, path));
            }
            else
            {
                Drop(entry);
            }
        }
        else if (GitSettingRules.Keeps(entry))
        {
            items.Add(new KeptSetting(entry));
        }
        else
        {
            Drop(entry);
        }
    }

    private void Include(GitConfigEntry entry, int depth, List<GitConfigItem> items)
    {
        if (depth >= MaxIncludeDepth)
        {
            report.Problems.Add($"{entry.SourceFile} line {entry.Line}: includes nested more than {MaxIncludeDepth} deep; the rest is left out");
            return;
        }

        if (ExpandPath(entry.Value, entry.SourceFile, relativeToFile: true) is not { } path)
        {
            report.Problems.Add($"{entry.SourceFile} line {entry.Line}: an include path nono cannot expand; left out");
            return;
        }

        if (UrlCredentials.Carries(entry.Subsection))
        {
            // hasconfig:remote.*.url:https://user:token@... would copy the token into the file.
            Drop(entry);
            return;
        }

        if (entry.Subsection is null)
        {
            AddFile(path, depth + 1, items);
            return;
        }

        var included = new List<GitConfigItem>();
        AddFile(path, depth + 1, included);
        if (included.Count > 0)
        {
            items.Add(new ConditionalInclude(Anchor(entry.Subsection, entry.SourceFile), new SanitizedGitFile(included)));
        }
    }

    /// <summary><c>gitdir:./x</c> means relative to the file that holds the condition; the sanitised
    /// copy lives elsewhere, so the pattern is made absolute. Other conditions do not depend on it.</summary>
    private static string Anchor(string condition, string sourceFile)
    {
        foreach (var prefix in new[] { "gitdir:", "gitdir/i:" })
        {
            if (condition.StartsWith(prefix + "./", StringComparison.Ordinal))
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(sourceFile))!;
                return prefix + Path.Join(directory, condition[(prefix.Length + 2)..]);
            }
        }

        return condition;
    }

    /// <summary>git's path expansion: <c>~/</c> is the home directory; an include's relative path is
    /// relative to the including file. <c>~user/</c> and <c>%(prefix)/</c> are not expanded (null).</summary>
    private string? ExpandPath(string? value, string sourceFile, bool relativeToFile)
    {
        if (string.IsNullOrEmpty(value) || value.StartsWith("%(prefix)", StringComparison.Ordinal))
        {
            return null;
        }

        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
        {
            return Path.Join(home, value[1..]);
        }

        if (value.StartsWith('~'))
        {
            return null;
        }

        if (Path.IsPathFullyQualified(value))
        {
            return value;
        }

        return relativeToFile ? Path.GetFullPath(value, Path.GetDirectoryName(Path.GetFullPath(sourceFile))!) : null;
    }

    private void Drop(GitConfigEntry entry) =>
        report.Dropped.Add(entry.Subsection is null ? entry.Name : $"{entry.Section}.*.{entry.Key}");
}
