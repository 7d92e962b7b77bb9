using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Turns the merged profile's nono sections into plain entries, so that everything after this (the
/// filesystem resolver, <c>nono profile show</c>) sees paths only: this platform's override patch,
/// the included groups minus the excluded ones (a required group cannot be excluded), their denies
/// less <c>bypass_protection</c>, <c>workdir.access</c> and the denied commands less the allowed ones.
/// </summary>
internal static class ProfileExpansion
{
    public static ProfileSpec Expand(ProfileSpec spec)
    {
        foreach (var patch in spec.PlatformOverrides.Where(patch => patch.Key == PlatformPredicate.Current))
        {
            spec = ProfileMerger.Merge(spec, patch.Value);
        }

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var exclude in spec.ExcludeGroups)
        {
            if (FilesystemGroups.All[exclude.Value].Required)
            {
                throw ProfileException.At(exclude.Where, $"group '{exclude.Value}' is required and cannot be excluded: it hides credentials, keychains, browser data or shell files");
            }

            excluded.Add(exclude.Value);
        }

        var bypass = spec.BypassProtection.Select(entry => Canonical(entry.Value)).ToHashSet(StringComparer.Ordinal);
        var entries = new List<PathEntry>(spec.Filesystem);
        var commands = new List<Located<string>>(spec.DenyCommands);
        foreach (var include in spec.IncludeGroups.DistinctBy(include => include.Value).Where(include => !excluded.Contains(include.Value)))
        {
            var group = FilesystemGroups.All[include.Value];
            if (!group.AppliesHere)
            {
                continue;
            }

            if (group.DeniesUnlink)
            {
                throw ProfileException.At(include.Where, $"group '{group.Name}' is not supported: refusing deletion everywhere except in writable grants cannot be expressed with Landlock here. Remove it from groups.include");
            }

            entries.AddRange(group.Grants.Select(grant => new PathEntry(grant.Rule, grant.Path, include.Where, Group: group.Name)));
            entries.AddRange(group.Denies
                .Where(path => !bypass.Contains(Canonical(path)))
                .Select(path => new PathEntry(PathRule.Deny, path, include.Where, Group: group.Name)));
            commands.AddRange(group.DeniedCommands.Select(command => new Located<string>(command, include.Where)));
        }

        if (spec.WorkdirAccess is { Value: not "none" } workdir)
        {
            var rule = workdir.Value switch { "read" => PathRule.Read, "write" => PathRule.Write, _ => PathRule.Allow };
            entries.Add(new PathEntry(rule, "$WORKDIR", workdir.Where));
        }

        var allowed = spec.AllowCommands.Select(command => command.Value).ToHashSet(StringComparer.Ordinal);
        return spec with
        {
            Filesystem = [.. entries.DistinctBy(entry => (entry.Rule, entry.Raw))],
            DenyCommands = [.. commands.Where(command => !allowed.Contains(command.Value)).DistinctBy(command => command.Value)],
            AllowCommands = [],
            IncludeGroups = [],
            ExcludeGroups = [],
            BypassProtection = [],
            WorkdirAccess = null,
            PlatformOverrides = [],
        };
    }

    /// <summary><c>$HOME/x</c> and <c>~/x</c> name the same path.</summary>
    private static string Canonical(string raw) =>
        raw.StartsWith("$HOME", StringComparison.Ordinal) ? "~" + raw[5..] : raw.TrimEnd('/');
}
