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

/// <summary>One key: its dotted path (<c>*</c> for a map entry), class and what it does here.</summary>
internal sealed record ProfileKey(string Path, KeyClass Class, string Meaning);

/// <summary>
/// Every key a profile may hold: all of nono 0.74's schema, each classified, and the few of our own.
/// The parser takes the known keys of each object from here (so an unknown key lists them and a
/// suggestion), handles ignored and refused keys here, and the README's key table lists the same rows.
/// </summary>
internal static partial class ProfileKeys
{
    private static Dictionary<string, ProfileKey>? _byPath;

    public static ProfileKey? Find(string path) =>
        (_byPath ??= All.ToDictionary(key => key.Path, StringComparer.Ordinal)).GetValueOrDefault(path);

    /// <summary>The names of the keys directly inside <paramref name="parent"/> ("" for the top level).</summary>
    public static IReadOnlyList<string> ChildrenOf(string parent)
    {
        var prefix = parent.Length == 0 ? string.Empty : parent + ".";
        return
        [
            .. All.Select(key => key.Path)
                .Where(path => path.StartsWith(prefix, StringComparison.Ordinal) && !path[prefix.Length..].Contains('.', StringComparison.Ordinal))
                .Select(path => path[prefix.Length..]),
        ];
    }

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
