using System.Globalization;
using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Walks a profile's JSON against the schema by hand, so that each error names the file, line,
/// column and full key path. Unknown keys are errors (a misspelt key would otherwise silently
/// grant less, or more, than the author meant). Checks that need no machine state (host patterns,
/// path syntax, variable names, credential shapes) happen here; paths are resolved later.
/// </summary>
internal static partial class ProfileParser
{
    private static readonly string[] RootKeys = ["extends", "description", "meta", "filesystem", "network", "environment"];
    private static readonly string[] MetaKeys = ["name", "version", "description", "author"];
    private static readonly string[] EnvironmentKeys = ["allow_vars", "deny_vars", "set_vars"];

    public static ProfileSpec Parse(byte[] utf8, string origin)
    {
        var root = JNodeReader.Parse(utf8, origin);
        if (root is not JObject obj)
        {
            throw ProfileException.At(root.Where, $"a profile must be a JSON object, not {root.Describe}");
        }

        var spec = ProfileSpec.Empty;
        foreach (var property in obj.Properties)
        {
            spec = property.Name switch
            {
                "extends" => spec with { Extends = StringOrList(property.Value, "extends") },
                "description" => spec with { Description = String(property.Value, "description") },
                "meta" => spec with { Meta = ParseMeta(Object(property.Value, "meta")) },
                "filesystem" => spec with { Filesystem = ParseFilesystem(Object(property.Value, "filesystem")) },
                "network" => spec with { Network = ParseNetwork(Object(property.Value, "network")) },
                "environment" => spec with { Environment = ParseEnvironment(Object(property.Value, "environment")) },
                _ => throw Unknown(property, string.Empty, RootKeys),
            };
        }

        foreach (var parent in spec.Extends)
        {
            if (parent.Value.Length == 0)
            {
                throw ProfileException.At(parent.Where, "'extends' names an empty profile");
            }
        }

        return spec;
    }

    private static ProfileMeta ParseMeta(JObject meta)
    {
        var result = ProfileMeta.Empty;
        foreach (var property in meta.Properties)
        {
            var path = "meta." + property.Name;
            result = property.Name switch
            {
                "name" => result with { Name = String(property.Value, path) },
                "version" => result with { Version = String(property.Value, path) },
                "description" => result with { Description = String(property.Value, path) },
                "author" => result with { Author = String(property.Value, path) },
                _ => throw Unknown(property, "meta", MetaKeys),
            };
        }

        return result;
    }

    private static List<PathEntry> ParseFilesystem(JObject filesystem)
    {
        var entries = new List<PathEntry>();
        foreach (var property in filesystem.Properties)
        {
            if (!PathRules.TryParseKey(property.Name, out var rule))
            {
                throw Unknown(property, "filesystem", [.. Enum.GetValues<PathRule>().Select(PathRules.KeyOf)]);
            }

            var key = "filesystem." + property.Name;
            foreach (var item in StringList(property.Value, key))
            {
                PathVariables.Validate(item.Value, item.Where, key);
                entries.Add(new PathEntry(rule, item.Value, item.Where));
            }
        }

        return entries;
    }

    private static EnvironmentSpec ParseEnvironment(JObject environment)
    {
        var result = EnvironmentSpec.Empty;
        foreach (var property in environment.Properties)
        {
            var path = "environment." + property.Name;
            result = property.Name switch
            {
                "allow_vars" => result with { AllowVars = NamePatterns(property.Value, path) },
                "deny_vars" => result with { DenyVars = NamePatterns(property.Value, path) },
                "set_vars" => result with { SetVars = ParseSetVars(Object(property.Value, path), path) },
                _ => throw Unknown(property, "environment", EnvironmentKeys),
            };
        }

        return result;
    }

    private static List<Located<string>> NamePatterns(JNode node, string path)
    {
        var patterns = StringList(node, path);
        foreach (var pattern in patterns)
        {
            if (!Env.VariableRules.IsValidPattern(pattern.Value))
            {
                throw ProfileException.At(pattern.Where, $"'{path}': '{pattern.Value}' is not a variable name (letters, digits, '_'; a trailing '*' matches a prefix)");
            }
        }

        return patterns;
    }

    private static List<SetVar> ParseSetVars(JObject setVars, string path)
    {
        var result = new List<SetVar>();
        foreach (var property in setVars.Properties)
        {
            if (!Env.VariableRules.IsValidName(property.Name))
            {
                throw ProfileException.At(property.NameWhere, $"'{path}': '{property.Name}' is not a valid environment variable name");
            }

            result.Add(new SetVar(property.Name, String(property.Value, $"{path}.{property.Name}"), property.NameWhere));
        }

        return result;
    }

    private static JObject Object(JNode node, string path) =>
        node as JObject ?? throw TypeError(node, path, "an object");

    private static string String(JNode node, string path) =>
        node is JString text ? text.Value : throw TypeError(node, path, "a string");

    private static Located<bool> Bool(JNode node, string path) =>
        node is JBool flag ? new Located<bool>(flag.Value, node.Where) : throw TypeError(node, path, "true or false");

    private static Located<int> Int(JNode node, string path, int min, int max)
    {
        if (node is JNumber number && int.TryParse(number.Raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return new Located<int>(value, node.Where);
        }

        throw TypeError(node, path, $"a whole number from {min} to {max}");
    }

    private static List<Located<string>> StringOrList(JNode node, string path) =>
        node is JString text ? [new Located<string>(text.Value, node.Where)] : StringList(node, path, "a string or a list of strings");

    private static List<Located<string>> StringList(JNode node, string path, string expected = "a list of strings")
    {
        if (node is not JArray list)
        {
            throw TypeError(node, path, expected);
        }

        var result = new List<Located<string>>(list.Items.Count);
        for (var i = 0; i < list.Items.Count; i++)
        {
            result.Add(new Located<string>(String(list.Items[i], $"{path}[{i}]"), list.Items[i].Where));
        }

        return result;
    }

    private static ProfileException TypeError(JNode node, string path, string expected) =>
        ProfileException.At(node.Where, $"'{path}' must be {expected}, not {node.Describe}");

    private static ProfileException Unknown(JProperty property, string parent, IReadOnlyList<string> known)
    {
        var path = parent.Length == 0 ? property.Name : $"{parent}.{property.Name}";
        var suggestion = KeySuggestion.Closest(property.Name, known);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        return ProfileException.At(property.NameWhere, $"unknown key '{path}'{hint}; known keys here: {string.Join(", ", known)}");
    }
}
