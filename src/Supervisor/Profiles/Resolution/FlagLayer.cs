namespace Nono.Supervisor.Profiles;

/// <summary>
/// Turns command-line flags into a profile layer that goes on top of the resolved profile, validated
/// the same way as a profile file, with the flag named in errors. Which flag sets which key is
/// declared with the key (<see cref="ProfileKey.Flag"/>); the helpers here convert and check values.
/// </summary>
internal static class FlagLayer
{
    public static ProfileSpec Apply(ProfileSpec profile, SessionFlags flags)
    {
        var withFlags = ProfileKeys.All.Where(key => key.Flag is not null).ToList();
        var layer = withFlags.Aggregate(ProfileSpec.Empty, (spec, key) => key.Flag!.Apply(flags, spec));
        var merged = ProfileMerger.Merge(profile, layer);
        return withFlags.Where(key => key.Flag!.Replaces).Aggregate(merged, (spec, key) => key.Field!.Replace(spec, layer));
    }

    /// <summary>A path flag: its paths join the filesystem entries with the key's rule, marked as given on the command line.</summary>
    public static KeyFlag Paths(string flag, Func<SessionFlags, IReadOnlyList<string>> paths, PathRule rule) =>
        new(flag, (flags, spec) => spec with
        {
            Filesystem = [.. spec.Filesystem, .. paths(flags).Select(path => new PathEntry(rule, path, SourceLocation.Flag(flag), FromFlag: true))],
        });

    public static List<Located<string>> Checked(IReadOnlyList<string> values, string flag, Action<Located<string>> check)
    {
        var entries = Located(values, flag);
        entries.ForEach(check);
        return entries;
    }

    public static List<Located<string>> HostPatterns(IReadOnlyList<string> values, string flag) =>
        [.. Located(values, flag).Select(entry => entry with { Value = HostPattern.Normalize(entry.Value, entry.Where) })];

    public static Located<string> UpstreamProxy(string proxy)
    {
        var where = SourceLocation.Flag(FlagNames.UpstreamProxy);
        return new Located<string>(UpstreamProxyAddress.Normalize(proxy, where), where);
    }

    public static void RequirePattern(Located<string> entry)
    {
        if (!Env.VariableRules.IsValidPattern(entry.Value))
        {
            throw ProfileException.At(entry.Where, $"'{entry.Value}' is not a variable name (letters, digits, '_'; a trailing '*' matches a prefix)");
        }
    }

    public static SetVar SetVar(string assignment)
    {
        var where = SourceLocation.Flag(FlagNames.SetVar);
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? assignment : assignment[..equals];
        if (equals < 0 || !Env.VariableRules.IsValidName(name))
        {
            // Only the name is echoed: the value may be a secret.
            throw ProfileException.At(where, $"expected NAME=VALUE with a valid variable name, got '{name}'");
        }

        return new SetVar(name, assignment[(equals + 1)..], where);
    }

    public static Located<int> ValidityDays(int days) => days is >= 1 and <= 365
        ? new Located<int>(days, SourceLocation.Flag(FlagNames.ProxyCaValidity))
        : throw ProfileException.At(SourceLocation.Flag(FlagNames.ProxyCaValidity), $"{days} is not a number of days from 1 to 365");

    private static List<Located<string>> Located(IReadOnlyList<string> values, string flag) =>
        [.. values.Select(value => new Located<string>(value, SourceLocation.Flag(flag)))];
}
