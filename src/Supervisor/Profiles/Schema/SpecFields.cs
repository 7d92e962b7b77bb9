namespace Nono.Supervisor.Profiles;

/// <summary>
/// Shorthands the key table uses to bind a key to its <see cref="ProfileSpec"/> value: the getter and
/// setter (through the nested section the key lives in), the merge rule its shape implies, and its writer.
/// </summary>
internal static class SpecFields
{
    private static readonly Func<Located<string>, object> ByValue = item => item.Value;

    /// <summary>Every <c>filesystem</c> path rule shares the one list; each key shows the entries of its rule.</summary>
    public static ListField<PathEntry> Paths { get; } = new(
        spec => spec.Filesystem,
        (spec, value) => spec with { Filesystem = value },
        entry => (entry.Rule, entry.Raw),
        (json, name, entries) => ProfileJsonWriter.WriteStrings(json, name, entries.Select(entry => entry.Raw)))
    {
        Narrow = (entry, name) => PathRules.KeyOf(entry.Rule) == name,
    };

    /// <summary>The <c>security</c> modes, merged by name; each key shows its own.</summary>
    public static MapField<KeyValuePair<string, Located<string>>> Security { get; } = new(
        spec => spec.Security,
        (spec, value) => spec with { Security = value },
        pair => pair.Key,
        (json, name, pairs) => pairs.ToList().ForEach(pair => json.WriteString(name, pair.Value.Value)))
    {
        Narrow = (pair, name) => pair.Key == name,
    };

    public static ListField<Located<string>> Strings(
        Func<ProfileSpec, IReadOnlyList<Located<string>>> get, Func<ProfileSpec, IReadOnlyList<Located<string>>, ProfileSpec> set) =>
        new(get, set, ByValue, (json, name, items) => ProfileJsonWriter.WriteStrings(json, name, items.Select(item => item.Value)));

    public static ListField<Located<string>> NetworkStrings(
        Func<NetworkSpec, IReadOnlyList<Located<string>>> get, Func<NetworkSpec, IReadOnlyList<Located<string>>, NetworkSpec> set) =>
        Strings(spec => get(spec.Network), (spec, value) => spec with { Network = set(spec.Network, value) });

    public static ListField<Located<string>> EnvironmentStrings(
        Func<EnvironmentSpec, IReadOnlyList<Located<string>>> get, Func<EnvironmentSpec, IReadOnlyList<Located<string>>, EnvironmentSpec> set) =>
        Strings(spec => get(spec.Environment), (spec, value) => spec with { Environment = set(spec.Environment, value) });

    /// <summary>Port lists: one entry per port, written in ascending order.</summary>
    public static ListField<Located<int>> NetworkPorts(
        Func<NetworkSpec, IReadOnlyList<Located<int>>> get, Func<NetworkSpec, IReadOnlyList<Located<int>>, NetworkSpec> set) =>
        new(spec => get(spec.Network), (spec, value) => spec with { Network = set(spec.Network, value) }, port => port.Value, ProfileJsonWriter.WritePorts);

    public static ScalarField<string> MetaText(Func<ProfileMeta, string?> get, Func<ProfileMeta, string?, ProfileMeta> set) =>
        new(spec => get(spec.Meta), (spec, value) => spec with { Meta = set(spec.Meta, value) }, (json, name, value) => json.WriteString(name, value));

    public static ScalarField<Located<bool>> NetworkBool(Func<NetworkSpec, Located<bool>?> get, Func<NetworkSpec, Located<bool>?, NetworkSpec> set) =>
        new(spec => get(spec.Network), (spec, value) => spec with { Network = set(spec.Network, value) }, (json, name, value) => json.WriteBoolean(name, value.Value));

    public static ScalarField<Located<bool>> TlsBool(Func<TlsInterceptSpec, Located<bool>?> get, Func<TlsInterceptSpec, Located<bool>?, TlsInterceptSpec> set) =>
        new(
            spec => get(spec.Network.TlsIntercept),
            (spec, value) => spec with { Network = spec.Network with { TlsIntercept = set(spec.Network.TlsIntercept, value) } },
            (json, name, value) => json.WriteBoolean(name, value.Value));

    public static ScalarField<Located<string>> Text(Func<ProfileSpec, Located<string>?> get, Func<ProfileSpec, Located<string>?, ProfileSpec> set) =>
        new(get, set, (json, name, value) => json.WriteString(name, value.Value));
}
