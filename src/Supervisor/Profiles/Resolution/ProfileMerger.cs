namespace Nono.Supervisor.Profiles;

/// <summary>
/// Combines a lower layer (a parent profile, or everything below) with an upper one: lists are
/// concatenated without duplicates, scalars set in the upper layer override, maps
/// (<c>custom_credentials</c>, <c>set_vars</c>) merge by key with the upper entry replacing the lower.
/// </summary>
internal static class ProfileMerger
{
    public static ProfileSpec Merge(ProfileSpec lower, ProfileSpec upper) => new()
    {
        Description = upper.Description ?? lower.Description,
        Meta = new ProfileMeta(
            upper.Meta.Name ?? lower.Meta.Name,
            upper.Meta.Version ?? lower.Meta.Version,
            upper.Meta.Description ?? lower.Meta.Description,
            upper.Meta.Author ?? lower.Meta.Author),
        Extends = [],
        Filesystem = [.. lower.Filesystem.Concat(upper.Filesystem).DistinctBy(entry => (entry.Rule, entry.Raw))],
        Network = Merge(lower.Network, upper.Network),
        Environment = new EnvironmentSpec
        {
            AllowVars = Concat(lower.Environment.AllowVars, upper.Environment.AllowVars),
            DenyVars = Concat(lower.Environment.DenyVars, upper.Environment.DenyVars),
            SetVars = ByKey(lower.Environment.SetVars, upper.Environment.SetVars, set => set.Name),
        },
        IncludeGroups = Concat(lower.IncludeGroups, upper.IncludeGroups),
        ExcludeGroups = Concat(lower.ExcludeGroups, upper.ExcludeGroups),
        WorkdirAccess = upper.WorkdirAccess ?? lower.WorkdirAccess,
        DenyCommands = Concat(lower.DenyCommands, upper.DenyCommands),
        AllowCommands = Concat(lower.AllowCommands, upper.AllowCommands),
        BypassProtection = Concat(lower.BypassProtection, upper.BypassProtection),
        Security = ByKey(lower.Security, upper.Security, pair => pair.Key),
        PlatformOverrides = [.. lower.PlatformOverrides, .. upper.PlatformOverrides],
        Warnings = [.. lower.Warnings, .. upper.Warnings],
    };

    private static NetworkSpec Merge(NetworkSpec lower, NetworkSpec upper) => new()
    {
        Block = upper.Block ?? lower.Block,
        AllowDomain = Concat(lower.AllowDomain, upper.AllowDomain),
        DomainEndpoints = [.. lower.DomainEndpoints, .. upper.DomainEndpoints],
        NetworkProfile = Concat(lower.NetworkProfile, upper.NetworkProfile),
        Credentials = Concat(lower.Credentials, upper.Credentials),
        CustomCredentials = ByKey(lower.CustomCredentials, upper.CustomCredentials, credential => credential.Name),
        UpstreamProxy = upper.UpstreamProxy ?? lower.UpstreamProxy,
        UpstreamBypass = Concat(lower.UpstreamBypass, upper.UpstreamBypass),
        RateLimits = ByKey(lower.RateLimits, upper.RateLimits, limit => limit.Host is { } host ? "host:" + host : "route:" + limit.Route),
        TlsIntercept = new TlsInterceptSpec(
            upper.TlsIntercept.Enabled ?? lower.TlsIntercept.Enabled,
            upper.TlsIntercept.InterceptAll ?? lower.TlsIntercept.InterceptAll,
            upper.TlsIntercept.CaValidityDays ?? lower.TlsIntercept.CaValidityDays,
            upper.TlsIntercept.NameConstraints ?? lower.TlsIntercept.NameConstraints),
        DenyDomain = Concat(lower.DenyDomain, upper.DenyDomain),
        ConnectPorts = [.. lower.ConnectPorts.Concat(upper.ConnectPorts).DistinctBy(port => port.Value)],
        BindPorts = [.. lower.BindPorts.Concat(upper.BindPorts).DistinctBy(port => port.Value)],
        NoProxy = Concat(lower.NoProxy, upper.NoProxy),
        AllowHttp2 = upper.AllowHttp2 ?? lower.AllowHttp2,
    };

    /// <summary>Concatenation keeping the first occurrence (and so the first location) of each value.</summary>
    public static IReadOnlyList<Located<string>> Concat(IReadOnlyList<Located<string>> lower, IReadOnlyList<Located<string>> upper) =>
        [.. lower.Concat(upper).DistinctBy(item => item.Value, StringComparer.Ordinal)];

    private static List<T> ByKey<T>(IReadOnlyList<T> lower, IReadOnlyList<T> upper, Func<T, string> key)
    {
        var replaced = upper.Select(key).ToHashSet(StringComparer.Ordinal);
        return [.. lower.Where(item => !replaced.Contains(key(item))).Concat(upper)];
    }
}
