using System.Text.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>How a key's value combines when one profile layer goes on top of another.</summary>
internal enum MergeRule
{
    /// <summary>Lists: the upper layer's entries follow the lower's, duplicates dropped.</summary>
    Append,

    /// <summary>Maps: entries merge by name, an upper entry replacing the lower one of that name.</summary>
    MergeByKey,

    /// <summary>Scalars: the upper layer's value, when it sets one, replaces the lower's.</summary>
    Override,
}

/// <summary>
/// One value of <see cref="ProfileSpec"/> as a key of the table holds it: how layers merge it, whether
/// a spec has it, and how the writer prints it. Several keys may share one field (the path rules of
/// <c>filesystem</c>, the <c>security</c> modes); <c>name</c> is then the key being written.
/// </summary>
internal abstract class SpecField
{
    public abstract MergeRule Rule { get; }

    public abstract ProfileSpec Merge(ProfileSpec merged, ProfileSpec lower, ProfileSpec upper);

    /// <summary>The upper layer's value replaces the merged one, where the upper layer has one.</summary>
    public abstract ProfileSpec Replace(ProfileSpec merged, ProfileSpec upper);

    public abstract bool HasValue(ProfileSpec spec, string name);

    public abstract void Write(Utf8JsonWriter json, string name, ProfileSpec spec);
}

/// <summary>A key holding entries (a list or a map): replaced, tested and written as a whole, or, when the
/// field is shared by several keys, narrowed to the entries of the key being written.</summary>
internal abstract class EntriesField<T>(
    Func<ProfileSpec, IReadOnlyList<T>> get,
    Func<ProfileSpec, IReadOnlyList<T>, ProfileSpec> set,
    Action<Utf8JsonWriter, string, IReadOnlyList<T>> write) : SpecField
{
    /// <summary>For a field shared by several keys (the path rules, the <c>security</c> modes): the entries a key shows.</summary>
    public Func<T, string, bool>? Narrow { get; init; }

    protected IReadOnlyList<T> Get(ProfileSpec spec) => get(spec);

    protected ProfileSpec Set(ProfileSpec spec, IReadOnlyList<T> value) => set(spec, value);

    public override ProfileSpec Replace(ProfileSpec merged, ProfileSpec upper) =>
        get(upper).Count == 0 ? merged : set(merged, get(upper));

    public override bool HasValue(ProfileSpec spec, string name) => Entries(spec, name).Count > 0;

    public override void Write(Utf8JsonWriter json, string name, ProfileSpec spec) => write(json, name, Entries(spec, name));

    private IReadOnlyList<T> Entries(ProfileSpec spec, string name) => Narrow is null ? get(spec) : [.. get(spec).Where(item => Narrow(item, name))];
}

/// <summary>A list key: appended, the first occurrence of each <c>identity</c> kept (none given: all kept).</summary>
internal sealed class ListField<T>(
    Func<ProfileSpec, IReadOnlyList<T>> get,
    Func<ProfileSpec, IReadOnlyList<T>, ProfileSpec> set,
    Func<T, object>? identity,
    Action<Utf8JsonWriter, string, IReadOnlyList<T>> write) : EntriesField<T>(get, set, write)
{
    public override MergeRule Rule => MergeRule.Append;

    public override ProfileSpec Merge(ProfileSpec merged, ProfileSpec lower, ProfileSpec upper)
    {
        var all = Get(lower).Concat(Get(upper));
        return Set(merged, [.. identity is null ? all : all.DistinctBy(identity)]);
    }
}

/// <summary>A map key: merged by <c>key</c>, the upper entry replacing the lower one of the same name.</summary>
internal sealed class MapField<T>(
    Func<ProfileSpec, IReadOnlyList<T>> get,
    Func<ProfileSpec, IReadOnlyList<T>, ProfileSpec> set,
    Func<T, string> key,
    Action<Utf8JsonWriter, string, IReadOnlyList<T>> write) : EntriesField<T>(get, set, write)
{
    public override MergeRule Rule => MergeRule.MergeByKey;

    public override ProfileSpec Merge(ProfileSpec merged, ProfileSpec lower, ProfileSpec upper)
    {
        var replaced = Get(upper).Select(key).ToHashSet(StringComparer.Ordinal);
        return Set(merged, [.. Get(lower).Where(item => !replaced.Contains(key(item))).Concat(Get(upper))]);
    }
}

/// <summary>A scalar key: the upper layer's value, when set, overrides.</summary>
internal sealed class ScalarField<T>(
    Func<ProfileSpec, T?> get,
    Func<ProfileSpec, T?, ProfileSpec> set,
    Action<Utf8JsonWriter, string, T> write) : SpecField
    where T : class
{
    public override MergeRule Rule => MergeRule.Override;

    public override ProfileSpec Merge(ProfileSpec merged, ProfileSpec lower, ProfileSpec upper) => set(merged, get(upper) ?? get(lower));

    public override ProfileSpec Replace(ProfileSpec merged, ProfileSpec upper) => get(upper) is null ? merged : set(merged, get(upper));

    public override bool HasValue(ProfileSpec spec, string name) => get(spec) is not null;

    public override void Write(Utf8JsonWriter json, string name, ProfileSpec spec)
    {
        if (get(spec) is { } value)
        {
            write(json, name, value);
        }
    }
}

/// <summary>A key held in two fields that merge on their own and print as one value (<c>allow_domain</c>'s hosts and objects).</summary>
internal sealed class PairField(SpecField first, SpecField second, Action<Utf8JsonWriter, string, ProfileSpec> write) : SpecField
{
    public override MergeRule Rule => first.Rule;

    public override ProfileSpec Merge(ProfileSpec merged, ProfileSpec lower, ProfileSpec upper) =>
        second.Merge(first.Merge(merged, lower, upper), lower, upper);

    public override ProfileSpec Replace(ProfileSpec merged, ProfileSpec upper) => second.Replace(first.Replace(merged, upper), upper);

    public override bool HasValue(ProfileSpec spec, string name) => first.HasValue(spec, name) || second.HasValue(spec, name);

    public override void Write(Utf8JsonWriter json, string name, ProfileSpec spec) => write(json, name, spec);
}
