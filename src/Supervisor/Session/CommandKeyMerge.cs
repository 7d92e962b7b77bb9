using System.Text.Json;
using System.Text.Json.Nodes;
using Nono.Sandbox;

namespace Nono.Supervisor.Session;

/// <summary>
/// Merges the session's copy of <c>~/.claude.json</c> into the real file: everything the session
/// wrote is kept except the keys of <see cref="PlantedCommandPaths.CommandKeys"/>, which keep the
/// value they have in the real file (or stay absent). Returns the changes that were refused, by key
/// path, for the user to see.
/// </summary>
internal static class CommandKeyMerge
{
    public sealed record Result(string Json, IReadOnlyList<string> Refused);

    /// <summary>Null when <paramref name="session"/> is not a JSON object: the real file then stays as it is.</summary>
    public static Result? Merge(string real, string session)
    {
        if (Parse(session) is not JsonObject merged)
        {
            return null;
        }

        var original = Parse(real) as JsonObject ?? [];
        var refused = new List<string>();
        KeepKeys(merged, original, PlantedCommandPaths.CommandKeys.TopLevel, string.Empty, refused);

        var originalProjects = original["projects"] as JsonObject ?? [];
        if (merged["projects"] is not JsonObject projects)
        {
            if (merged.ContainsKey("projects") || originalProjects.Count > 0)
            {
                refused.Add("projects");
                merged["projects"] = originalProjects.DeepClone();
            }

            return new Result(Write(merged), refused);
        }

        foreach (var (name, value) in projects.ToArray())
        {
            var before = originalProjects[name] as JsonObject ?? [];
            if (value is JsonObject project)
            {
                KeepKeys(project, before, PlantedCommandPaths.CommandKeys.PerProject, $"projects[{Quote(name)}].", refused);
            }
            else
            {
                refused.Add($"projects[{Quote(name)}]");
                projects[name] = originalProjects[name]?.DeepClone();
            }
        }

        // A project the session dropped keeps the commands and approvals it had.
        foreach (var (name, value) in originalProjects)
        {
            if (!projects.ContainsKey(name) && value is JsonObject before
                && PlantedCommandPaths.CommandKeys.PerProject.Any(entry => before.ContainsKey(entry.Key)))
            {
                var kept = new JsonObject();
                foreach (var (key, _) in PlantedCommandPaths.CommandKeys.PerProject.Where(entry => before.ContainsKey(entry.Key)))
                {
                    kept[key] = before[key]?.DeepClone();
                }

                projects[name] = kept;
            }
        }

        return new Result(Write(merged), refused);
    }

    private static void KeepKeys(JsonObject target, JsonObject original, IReadOnlyList<(string Key, string Reason)> keys, string prefix, List<string> refused)
    {
        foreach (var (key, _) in keys)
        {
            var had = original.TryGetPropertyValue(key, out var before);
            var has = target.TryGetPropertyValue(key, out var after);
            if (had == has && JsonNode.DeepEquals(before, after))
            {
                continue;
            }

            refused.Add(prefix + key);
            if (had)
            {
                target[key] = before?.DeepClone();
            }
            else
            {
                target.Remove(key);
            }
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Write(JsonObject root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
