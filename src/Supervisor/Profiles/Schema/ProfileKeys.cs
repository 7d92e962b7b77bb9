namespace Nono.Supervisor.Profiles;

/// <summary>How nono treats a key of the profile schema.</summary>
internal enum KeyClass
{
    /// <summary>Enforced with the meaning nono 0.74 gives it (or ours, for keys nono does not have).</summary>
    Enforced,

    /// <summary>Accepted with one warning naming it: a convenience with no counterpart here, which restricts nothing.</summary>
    Ignored,

    /// <summary>Refused (exit 2) naming it and why: it would restrict or expose something nono cannot express here.</summary>
    Refused,
}

/// <summary>Where a key's value is kept, for a key without a <see cref="ProfileKey.Field"/> of its own.</summary>
internal enum KeyHolding
{
    /// <summary>Not declared: an enforced key must say where its value goes (a test checks).</summary>
    Unbound,

    /// <summary>The key has its own <see cref="ProfileKey.Field"/>.</summary>
    OwnField,

    /// <summary>An object whose keys hold the values.</summary>
    Section,

    /// <summary>Another spelling of <see cref="ProfileKey.AliasOf"/>, parsed into its field.</summary>
    Alias,

    /// <summary>Part of the value of the nearest enclosing key that has a field (a custom credential's settings).</summary>
    InParentField,

    /// <summary>Checked when parsed (its refused values refused) and holds nothing: its one accepted meaning is what nono does anyway.</summary>
    CheckedOnly,

    /// <summary>Resolved before layers merge (<c>extends</c>): not carried into the merged profile.</summary>
    ResolvedFirst,

    /// <summary>Ignored or refused: nothing to keep.</summary>
    Nothing,
}

/// <summary>A command-line flag that sets a key's value in the flag layer (see <see cref="FlagLayer"/>).</summary>
/// <param name="Replaces">The flag's value replaces the profile's instead of merging with it.</param>
internal sealed record KeyFlag(string Name, Func<SessionFlags, ProfileSpec, ProfileSpec> Apply, bool Replaces = false);

/// <summary>
/// One key: its dotted path (<c>*</c> for a map entry), class and what it does here, and, for a key
/// that holds a value, the <see cref="SpecField"/> the merger and writer go through and the flag, if
/// any, that sets it.
/// </summary>
internal sealed record ProfileKey(string Path, KeyClass Class, string Meaning)
{
    public SpecField? Field { get; init; }

    public KeyFlag? Flag { get; init; }

    /// <summary>The keys this one is another spelling of (<c>open_port</c> stands for two).</summary>
    public IReadOnlyList<string>? AliasOf { get; init; }

    /// <summary>Declared only for an enforced key with no field, no alias and no keys inside it.</summary>
    public KeyHolding Held { get; init; }

    /// <summary>The key's own name, the last part of its path.</summary>
    public string Name => Path[(Path.LastIndexOf('.') + 1)..];
}

/// <summary>
/// Every key a profile may hold: all of nono 0.74's schema, each classified, and the few of our own.
/// The parser takes the known keys of each object from here (so an unknown key lists them and a
/// suggestion), handles ignored and refused keys here; the merger, the writer and the flag layer go
/// through each key's field and flag; and the README's key table lists the same rows.
/// </summary>
internal static partial class ProfileKeys
{
    private static Dictionary<string, ProfileKey>? _byPath;

    public static ProfileKey? Find(string path) =>
        (_byPath ??= All.ToDictionary(key => key.Path, StringComparer.Ordinal)).GetValueOrDefault(path);

    /// <summary>Where <paramref name="key"/>'s value is kept.</summary>
    public static KeyHolding HoldingOf(ProfileKey key) => key switch
    {
        { Field: not null } => KeyHolding.OwnField,
        { AliasOf: not null } => KeyHolding.Alias,
        { Held: not KeyHolding.Unbound } => key.Held,
        { Class: not KeyClass.Enforced } => KeyHolding.Nothing,
        _ when ChildrenOf(key.Path).Count > 0 => KeyHolding.Section,
        _ => KeyHolding.Unbound,
    };

    /// <summary>The keys directly inside <paramref name="parent"/> ("" for the top level), in table order.</summary>
    public static IEnumerable<ProfileKey> KeysIn(string parent)
    {
        var prefix = parent.Length == 0 ? string.Empty : parent + ".";
        return All.Where(key => key.Path.StartsWith(prefix, StringComparison.Ordinal) && !key.Path[prefix.Length..].Contains('.', StringComparison.Ordinal));
    }

    /// <summary>Each field once, in table order: what the merger combines.</summary>
    public static IReadOnlyList<SpecField> Fields => _fields ??= [.. All.Select(key => key.Field).OfType<SpecField>().Distinct()];

    private static IReadOnlyList<SpecField>? _fields;

    /// <summary>The names of the keys directly inside <paramref name="parent"/> ("" for the top level).</summary>
    public static IReadOnlyList<string> ChildrenOf(string parent)
        => [.. KeysIn(parent).Select(key => key.Name)];

    /// <summary>
    /// For a key the parser has no reader for: a warning for an ignored key, an exception for a
    /// refused or unknown one. <paramref name="path"/> is the key's full path; <paramref name="schemaPath"/>
    /// the table's (map entries as <c>*</c>).
    /// </summary>
    public static Located<string> NotRead(Json.JProperty property, string path, string schemaPath)
    {
        var key = Find(schemaPath);
        if (key is { Class: KeyClass.Ignored })
        {
            return new Located<string>($"'{path}' has no effect here ({key.Meaning}); ignored", property.NameWhere);
        }

        if (key is { Class: KeyClass.Refused })
        {
            throw ProfileException.At(property.NameWhere, $"'{path}' is not supported: {key.Meaning}. Remove it to run under nono's sandbox");
        }

        var parent = schemaPath.Contains('.', StringComparison.Ordinal) ? schemaPath[..schemaPath.LastIndexOf('.')] : string.Empty;
        var known = ChildrenOf(parent);
        var suggestion = KeySuggestion.Closest(property.Name, known);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        throw ProfileException.At(property.NameWhere, $"unknown key '{path}'{hint}; known keys here: {string.Join(", ", known)}");
    }
}
