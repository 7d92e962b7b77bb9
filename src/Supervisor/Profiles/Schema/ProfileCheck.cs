using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>One line of <c>nono profile check</c>: a key as written, its class and what it does here.</summary>
internal sealed record KeyReport(string Path, SourceLocation Where, KeyClass? Class, string Meaning);

/// <summary>
/// <c>nono profile check FILE</c>: every key of a profile file with its class from
/// <see cref="ProfileKeys"/> (enforced, ignored with a warning, refused), so that a nono user can see
/// before running what their profile means here. Values are checked by loading the profile afterwards.
/// </summary>
internal static class ProfileCheck
{
    public static IReadOnlyList<KeyReport> Keys(byte[] utf8, string origin)
    {
        var reports = new List<KeyReport>();
        if (JNodeReader.Parse(utf8, origin) is JObject root)
        {
            Walk(root, string.Empty, string.Empty, reports);
        }

        return reports;
    }

    private static void Walk(JObject obj, string shown, string schema, List<KeyReport> reports)
    {
        foreach (var property in obj.Properties)
        {
            var path = shown + property.Name;
            var schemaPath = schema == "network.custom_credentials." ? schema + "*" : schema + property.Name;
            var key = ProfileKeys.Find(schemaPath);
            reports.Add(new KeyReport(path, property.NameWhere, key?.Class, key?.Meaning ?? "not a key of nono's schema"));
            if (key is not { Class: KeyClass.Enforced } || property.Value is not JObject child)
            {
                continue;
            }

            if (schemaPath.StartsWith("platform_overrides.", StringComparison.Ordinal))
            {
                Walk(child, path + ".", string.Empty, reports);
            }
            else if (ProfileKeys.ChildrenOf(schemaPath).Count > 0 || schemaPath == "network.custom_credentials")
            {
                Walk(child, path + ".", schemaPath + ".", reports);
            }
        }
    }
}
