namespace Nono.Supervisor.Profiles;

/// <summary>
/// Turns command-line flags into a profile layer that goes on top of the resolved profile, validated
/// the same way as a profile file, with the flag named in errors.
/// </summary>
internal static class FlagLayer
{
    public static ProfileSpec Apply(ProfileSpec profile, SessionFlags flags)
    {
        var layer = ToSpec(flags);
        var merged = ProfileMerger.Merge(profile, layer);

        // --network-profile names the groups to use instead of the profile's, as a scalar would.
        return layer.Network.NetworkProfile.Count == 0
            ? merged
            : merged with { Network = merged.Network with { NetworkProfile = layer.Network.NetworkProfile } };
    }

    private static ProfileSpec ToSpec(SessionFlags flags) => new()
    {
        Filesystem =
        [
            .. Paths(flags.Allow, PathRule.Allow, FlagNames.Allow),
            .. Paths(flags.Read, PathRule.Read, FlagNames.Read),
            .. Paths(flags.Write, PathRule.Write, FlagNames.Write),
            .. Paths(flags.AllowFile, PathRule.AllowFile, FlagNames.AllowFile),
            .. Paths(flags.ReadFile, PathRule.ReadFile, FlagNames.ReadFile),
            .. Paths(flags.WriteFile, PathRule.WriteFile, FlagNames.WriteFile),
            .. Paths(flags.Deny, PathRule.Deny, FlagNames.Deny),
        ],
        Network = new NetworkSpec
        {
            Block = flags.BlockNetwork ? new Located<bool>(true, SourceLocation.Flag(FlagNames.BlockNet)) : null,
            AllowDomain = Checked(flags.AllowDomains, FlagNames.AllowDomain, entry => _ = NetworkGroups.Expand(entry).Count()),
            NetworkProfile = Checked(flags.NetworkProfiles, FlagNames.NetworkProfile, NetworkGroups.RequireGroup),
            Credentials = Checked(flags.Credentials, FlagNames.Credential, entry => ProfileParser.RequireServiceName(entry.Value, entry.Where, FlagNames.Credential)),
            UpstreamProxy = flags.UpstreamProxy is { } proxy
                ? new Located<string>(UpstreamProxyAddress.Normalize(proxy, SourceLocation.Flag(FlagNames.UpstreamProxy)), SourceLocation.Flag(FlagNames.UpstreamProxy))
                : null,
            UpstreamBypass = [.. Located(flags.UpstreamBypass, FlagNames.UpstreamBypass).Select(entry => entry with { Value = HostPattern.Normalize(entry.Value, entry.Where) })],
            TlsIntercept = new TlsInterceptSpec(
                flags.TlsIntercept is { } enabled ? new Located<bool>(enabled, SourceLocation.Flag(FlagNames.TlsIntercept)) : null,
                null,
                flags.ProxyCaValidityDays is { } days ? new Located<int>(ValidityDays(days), SourceLocation.Flag(FlagNames.ProxyCaValidity)) : null,
                null),
        },
        Environment = new EnvironmentSpec
        {
            AllowVars = Checked(flags.AllowVars, FlagNames.AllowVar, RequirePattern),
            DenyVars = Checked(flags.DenyVars, FlagNames.DenyVar, RequirePattern),
            SetVars = [.. flags.SetVars.Select(SetVar)],
        },
    };

    private static IEnumerable<PathEntry> Paths(IReadOnlyList<string> paths, PathRule rule, string flag) =>
        paths.Select(path => new PathEntry(rule, path, SourceLocation.Flag(flag), FromFlag: true));

    private static List<Located<string>> Located(IReadOnlyList<string> values, string flag) =>
        [.. values.Select(value => new Located<string>(value, SourceLocation.Flag(flag)))];

    private static List<Located<string>> Checked(IReadOnlyList<string> values, string flag, Action<Located<string>> check)
    {
        var entries = Located(values, flag);
        entries.ForEach(check);
        return entries;
    }

    private static void RequirePattern(Located<string> entry)
    {
        if (!Env.VariableRules.IsValidPattern(entry.Value))
        {
            throw ProfileException.At(entry.Where, $"'{entry.Value}' is not a variable name (letters, digits, '_'; a trailing '*' matches a prefix)");
        }
    }

    private static SetVar SetVar(string assignment)
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

    private static int ValidityDays(int days) => days is >= 1 and <= 365
        ? days
        : throw ProfileException.At(SourceLocation.Flag(FlagNames.ProxyCaValidity), $"{days} is not a number of days from 1 to 365");
}
