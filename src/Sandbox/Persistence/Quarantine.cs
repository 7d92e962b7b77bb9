namespace Nono.Sandbox.Persistence;

/// <summary>What was done to one finding, and the command that undoes it.</summary>
public sealed record QuarantineResult(Finding Finding, bool Disabled, string Action, string? Restore);

/// <summary>
/// Leaves each finding unable to run until the user decides: a hook or a created start-up file is
/// renamed with <see cref="Suffix"/> (git runs hooks by exact name), a setting is commented out in
/// its file, a configuration nono cannot read is renamed. Nothing is deleted. Only paths inside the
/// writable area are touched, and never through a symbolic link, so a program that planted links
/// cannot make nono rename or rewrite the user's files elsewhere.
/// </summary>
public static class Quarantine
{
    public const string Suffix = ".nono-disabled";

    public static IReadOnlyList<QuarantineResult> Apply(IReadOnlyList<Finding> findings, WritableArea writable)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(writable);
        var results = new List<QuarantineResult>();
        foreach (var group in findings.GroupBy(finding => finding.Kind == FindingKind.Setting ? finding.Path : finding.Path + "\0" + finding.Kind))
        {
            var first = group.First();
            if (!IsPlainInside(first.Path, writable))
            {
                results.AddRange(group.Select(finding => new QuarantineResult(finding, false,
                    "NOT disabled: the path leads through a symbolic link or out of the writable grants; remove it yourself", null)));
                continue;
            }

            try
            {
                results.AddRange(first.Kind == FindingKind.Setting ? DisableSettings(first.Path, [.. group]) : [MoveAside(first)]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                results.AddRange(group.Select(finding => new QuarantineResult(finding, false, $"NOT disabled ({e.Message}); remove it yourself", null)));
            }
        }

        return results;
    }

    private static QuarantineResult MoveAside(Finding finding)
    {
        var target = FreeName(finding.Path);
        File.Move(finding.Path, target);
        return new QuarantineResult(finding, true, $"renamed to {Printable.Of(Path.GetFileName(target))}", $"mv -- {Quote(target)} {Quote(finding.Path)}");
    }

    private static IEnumerable<QuarantineResult> DisableSettings(string file, IReadOnlyList<Finding> findings)
    {
        var config = GitConfigFile.Load(file);
        var entries = config?.Entries.Where(entry => findings.Any(f => f.Name == entry.Name && f.Detail == (entry.Value ?? string.Empty))).ToArray() ?? [];
        string? rewritten = null;
        if (config is not null && entries.Length > 0)
        {
            rewritten = ConfigDisabler.Disable(config, entries);
            if (GitConfigFileOrNull(rewritten) is not { } check || check.Entries.Any(entry => CommandSettings.Of(entry) is not null))
            {
                rewritten = null;
            }
        }

        if (rewritten is null)
        {
            // The rewrite did not leave a file free of commands (or nono could not read it back): take the whole file out of use.
            var whole = MoveAside(findings[0]);
            return findings.Select(finding => whole with { Finding = finding, Action = $"configuration file {whole.Action}" });
        }

        var temporary = file + ".nono-tmp";
        File.WriteAllText(temporary, rewritten);
        File.Move(temporary, file, overwrite: true);
        var restore = $"sed -i 's/^{ConfigDisabler.Marker}//' {Quote(file)}";
        return findings.Select(finding => new QuarantineResult(finding, true, "commented out", restore));
    }

    private static GitConfigFile? GitConfigFileOrNull(string text)
    {
        try
        {
            return GitConfigFile.Parse(text);
        }
        catch (GitConfigFormatException)
        {
            return null;
        }
    }

    private static string FreeName(string path)
    {
        var candidate = path + Suffix;
        for (var n = 1; File.Exists(candidate) || Directory.Exists(candidate) || new FileInfo(candidate).LinkTarget is not null; n++)
        {
            candidate = $"{path}{Suffix}.{n}";
        }

        return candidate;
    }

    /// <summary>True when every directory from the covering writable grant down to <paramref name="path"/>'s parent is a real directory.</summary>
    private static bool IsPlainInside(string path, WritableArea writable)
    {
        if (!writable.Covers(path))
        {
            return false;
        }

        for (var directory = Path.GetDirectoryName(path); directory is not null && writable.Covers(directory); directory = Path.GetDirectoryName(directory))
        {
            if (new DirectoryInfo(directory).LinkTarget is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Single-quoted for a POSIX shell, with control characters shown as '?' so the command prints safely.</summary>
    public static string Quote(string path) => "'" + Printable.Of(path, int.MaxValue).Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
