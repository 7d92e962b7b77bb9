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
    public static ProfileSpec Parse(byte[] utf8, string origin) => ParseRoot(JNodeReader.Parse(utf8, origin), isOverride: false);

    private static ProfileSpec ParseRoot(JNode root, bool isOverride)
    {
        if (root is not JObject obj)
        {
            throw ProfileException.At(root.Where, $"a profile must be a JSON object, not {root.Describe}");
        }

        var spec = ProfileSpec.Empty;
        var warnings = new List<Located<string>>();
        foreach (var property in obj.Properties)
        {
            var name = property.Name;
            if (isOverride && name is "extends" or "platform_overrides" && property.Value is not JNull)
            {
                throw ProfileException.At(property.NameWhere, $"'{name}' cannot be nested inside platform_overrides; move it to the top level");
            }

            spec = name switch
            {
                "$schema" => Unchanged(spec, String(property.Value, name)),
                "extends" => spec with { Extends = property.Value is JNull ? [] : StringOrList(property.Value, "extends") },
                "description" => spec with { Description = String(property.Value, "description") },
                "meta" => spec with { Meta = ParseMeta(Object(property.Value, "meta")) },
                "filesystem" => ParseFilesystem(spec, Object(property.Value, "filesystem"), warnings),
                "network" => spec with { Network = ParseNetwork(Object(property.Value, "network"), warnings) },
                "environment" => property.Value is JNull ? spec : spec with { Environment = ParseEnvironment(Object(property.Value, "environment")) },
                "groups" => ParseGroups(spec, Object(property.Value, "groups")),
                "workdir" => ParseWorkdir(spec, Object(property.Value, "workdir")),
                "security" => ParseSecurity(spec, Object(property.Value, "security")),
                "commands" => ParseCommands(spec, Object(property.Value, "commands")),
                "linux" => ParseLinux(spec, Object(property.Value, "linux")),
                "platform_overrides" => property.Value is JNull ? spec : ParsePlatformOverrides(spec, Object(property.Value, name)),
                "unsafe_macos_seatbelt_rules" => SeatbeltRules(spec, property, warnings),
                _ => Warn(spec, warnings, ProfileKeys.NotRead(property, name, name)),
            };
        }

        foreach (var parent in spec.Extends)
        {
            if (parent.Value.Length == 0)
            {
                throw ProfileException.At(parent.Where, "'extends' names an empty profile");
            }
        }

        return spec with { Warnings = [.. spec.Warnings, .. warnings] };
    }

    /// <summary>A key whose value is checked for its type and has no effect.</summary>
    private static ProfileSpec Unchanged(ProfileSpec spec, string checkedValue)
    {
        _ = checkedValue;
        return spec;
    }

    private static ProfileSpec Warn(ProfileSpec spec, List<Located<string>> warnings, Located<string> warning)
    {
        warnings.Add(warning);
        return spec;
    }

    private static ProfileMeta ParseMeta(JObject meta)
    {
        var result = ProfileMeta.Empty;
        foreach (var property in meta.Properties)
        {
            var path = "meta." + property.Name;
            var value = property.Value is JNull ? null : String(property.Value, path + " (or null)");
            result = property.Name switch
            {
                "name" => result with { Name = value },
                "version" => result with { Version = value },
                "description" => result with { Description = value },
                "author" => result with { Author = value },
                _ => throw Unknown(property, "meta"),
            };
        }

        return result;
    }

    private static ProfileSpec ParseFilesystem(ProfileSpec spec, JObject filesystem, List<Located<string>> warnings)
    {
        var entries = new List<PathEntry>(spec.Filesystem);
        var bypass = new List<Located<string>>(spec.BypassProtection);
        foreach (var property in filesystem.Properties)
        {
            var key = "filesystem." + property.Name;
            if (PathRules.TryParseKey(property.Name, out var rule))
            {
                foreach (var item in ConditionalList(property.Value, key, "path"))
                {
                    PathVariables.Validate(item.Value, item.Where, key);
                    entries.Add(new PathEntry(rule, item.Value, item.Where));
                }
            }
            else if (property.Name == "bypass_protection")
            {
                foreach (var item in ConditionalList(property.Value, key, "path"))
                {
                    PathVariables.Validate(item.Value, item.Where, key);
                    bypass.Add(item);
                }
            }
            else
            {
                warnings.Add(ProfileKeys.NotRead(property, key, key));
            }
        }

        return spec with { Filesystem = entries, BypassProtection = bypass };
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
                _ => throw Unknown(property, "environment"),
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
        var suggestion = KeySuggestion.Closest(property.Name, known);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        return ProfileException.At(property.NameWhere, $"unknown key '{parent}.{property.Name}'{hint}; known keys here: {string.Join(", ", known)}");
    }

    /// <summary>A key the table does not list under <paramref name="parent"/>: an error with the known keys and a suggestion.</summary>
    private static ProfileException Unknown(JProperty property, string parent)
    {
        var path = parent.Length == 0 ? property.Name : $"{parent}.{property.Name}";
        var known = ProfileKeys.ChildrenOf(SchemaPath(parent));
        var suggestion = KeySuggestion.Closest(property.Name, known);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        return ProfileException.At(property.NameWhere, $"unknown key '{path}'{hint}; known keys here: {string.Join(", ", known)}");
    }

    /// <summary>The table's path for a key path: a custom credential's name becomes <c>*</c>.</summary>
    private static string SchemaPath(string path)
    {
        const string Credentials = "network.custom_credentials.";
        if (!path.StartsWith(Credentials, StringComparison.Ordinal))
        {
            return path;
        }

        var rest = path[Credentials.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return Credentials + "*" + (dot < 0 ? string.Empty : rest[dot..]);
    }
}
