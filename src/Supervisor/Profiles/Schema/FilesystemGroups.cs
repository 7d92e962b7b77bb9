using System.Reflection;
using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>One filesystem group: what it grants and denies, on which platform.</summary>
internal sealed record FilesystemGroup(
    string Name,
    string Description,
    string? Platform,
    bool Required,
    IReadOnlyList<(PathRule Rule, string Path)> Grants,
    IReadOnlyList<string> Denies,
    IReadOnlyList<string> DeniedCommands,
    bool DeniesUnlink)
{
    public bool AppliesHere => Platform is null || Platform == PlatformPredicate.Current;
}

/// <summary>
/// The groups a profile names in <c>groups.include</c>/<c>exclude</c>, with nono 0.74's names and
/// meanings (the embedded <c>groups.jsonc</c>): <c>read</c> grants read, <c>write</c> write only,
/// <c>readwrite</c> both; <c>deny.access</c> hides paths; <c>deny.commands</c> blocks programs.
/// </summary>
internal static class FilesystemGroups
{
    private static Dictionary<string, FilesystemGroup>? _all;

    public static IReadOnlyDictionary<string, FilesystemGroup> All => _all ??= Load();

    public static void Require(Located<string> name)
    {
        if (!All.ContainsKey(name.Value))
        {
            var suggestion = KeySuggestion.Closest(name.Value, [.. All.Keys]);
            var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
            throw ProfileException.At(name.Where, $"no filesystem group named '{name.Value}'{hint}; known groups: {string.Join(", ", All.Keys.Order(StringComparer.Ordinal))}");
        }
    }

    private static Dictionary<string, FilesystemGroup> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("groups.jsonc")
            ?? throw new InvalidOperationException("The filesystem group table is missing from this build of nono.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var root = (JObject)JNodeReader.Parse(buffer.ToArray(), "built-in:groups.jsonc");
        return root.Properties.ToDictionary(property => property.Name, property => Group(property.Name, (JObject)property.Value), StringComparer.Ordinal);
    }

    private static FilesystemGroup Group(string name, JObject body)
    {
        JNode? Field(JObject obj, string key) => obj.Properties.FirstOrDefault(p => p.Name == key)?.Value;
        IEnumerable<string> Strings(JNode? node) => node is JArray list ? list.Items.OfType<JString>().Select(s => s.Value) : [];

        var allow = Field(body, "allow") as JObject;
        var deny = Field(body, "deny") as JObject;
        var grants = new List<(PathRule, string)>();
        if (allow is not null)
        {
            grants.AddRange(Strings(Field(allow, "read")).Select(path => (PathRule.Read, path)));
            grants.AddRange(Strings(Field(allow, "write")).Select(path => (PathRule.Write, path)));
            grants.AddRange(Strings(Field(allow, "readwrite")).Select(path => (PathRule.Allow, path)));
        }

        return new FilesystemGroup(
            name,
            (Field(body, "description") as JString)?.Value ?? string.Empty,
            (Field(body, "platform") as JString)?.Value,
            Field(body, "required") is JBool { Value: true },
            grants,
            deny is null ? [] : [.. Strings(Field(deny, "access"))],
            deny is null ? [] : [.. Strings(Field(deny, "commands"))],
            deny is not null && Field(deny, "unlink") is JBool { Value: true });
    }
}
