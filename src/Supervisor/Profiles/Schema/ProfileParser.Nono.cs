using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

/// <summary>The sections nono 0.74 has beyond paths, network and environment: groups, workdir, security, commands, linux, platform overrides.</summary>
internal static partial class ProfileParser
{
    private static readonly string[] WorkdirAccesses = ["none", "read", "write", "readwrite"];

    private static ProfileSpec ParseGroups(ProfileSpec spec, JObject groups)
    {
        foreach (var property in groups.Properties)
        {
            var path = "groups." + property.Name;
            var names = ConditionalList(property.Value, path, "name");
            names.ForEach(FilesystemGroups.Require);
            spec = property.Name switch
            {
                "include" => spec with { IncludeGroups = [.. spec.IncludeGroups, .. names] },
                "exclude" => spec with { ExcludeGroups = [.. spec.ExcludeGroups, .. names] },
                _ => throw Unknown(property, "groups"),
            };
        }

        return spec;
    }

    private static ProfileSpec ParseWorkdir(ProfileSpec spec, JObject workdir)
    {
        foreach (var property in workdir.Properties)
        {
            if (property.Name != "access")
            {
                throw Unknown(property, "workdir");
            }

            spec = spec with { WorkdirAccess = Choice(property.Value, "workdir.access", WorkdirAccesses) };
        }

        return spec;
    }

    /// <summary>Values the Linux and macOS sandboxes give; the others are refused, never dropped.</summary>
    private static ProfileSpec ParseSecurity(ProfileSpec spec, JObject security)
    {
        var values = new List<KeyValuePair<string, Located<string>>>(spec.Security);
        foreach (var property in security.Properties)
        {
            var path = "security." + property.Name;
            if (property.Value is JNull)
            {
                continue;
            }

            Located<string>? value = property.Name switch
            {
                "signal_mode" or "process_info_mode" => Refusing(
                    Choice(property.Value, path, ["isolated", "allow_same_sandbox", "allow_all"]),
                    path,
                    "allow_all",
                    "the sandbox never lets the program signal or inspect processes outside it; use isolated or allow_same_sandbox"),
                "ipc_mode" => Refusing(
                    Choice(property.Value, path, ["shared_memory_only", "full"]),
                    path,
                    OperatingSystem.IsMacOS() ? string.Empty : "shared_memory_only",
                    "on Linux semaphores cannot be taken away while shared memory stays; use \"full\""),
                "capability_elevation" => Bool(property.Value, path).Value
                    ? throw ProfileException.At(property.Value.Where, $"'{path}': true is not supported; a session's grants are fixed when it starts. Grant the paths in the profile")
                    : null,
                "wsl2_proxy_policy" => Refusing(
                    Choice(property.Value, path, ["error", "insecure_proxy"]),
                    path,
                    "insecure_proxy",
                    "nono refuses to run rather than confine the network less"),
                _ => NotReadValue(property, path),
            };
            if (value is not null)
            {
                values.Add(KeyValuePair.Create(property.Name, value));
            }
        }

        return spec with { Security = values };
    }

    private static ProfileSpec ParseCommands(ProfileSpec spec, JObject commands)
    {
        foreach (var property in commands.Properties)
        {
            var path = "commands." + property.Name;
            var names = StringList(property.Value, path);
            foreach (var name in names)
            {
                if (name.Value.Length == 0 || name.Value.Contains('/', StringComparison.Ordinal) || name.Value is "." or "..")
                {
                    throw ProfileException.At(name.Where, $"'{path}': '{name.Value}' is not a command name (a program's file name, without a directory)");
                }
            }

            spec = property.Name switch
            {
                "deny" => spec with { DenyCommands = [.. spec.DenyCommands, .. names] },
                "allow" => spec with { AllowCommands = [.. spec.AllowCommands, .. names] },
                _ => throw Unknown(property, "commands"),
            };
        }

        return spec;
    }

    private static ProfileSpec ParseLinux(ProfileSpec spec, JObject linux)
    {
        foreach (var property in linux.Properties)
        {
            var path = "linux." + property.Name;
            if (property.Value is JNull)
            {
                continue;
            }

            _ = property.Name switch
            {
                "sandbox_policy" => Refusing(Choice(property.Value, path, ["auto", "landlock", "external"]), path, "external",
                    "nono always installs its own Landlock and seccomp sandbox"),
                "af_unix_mediation" => Refusing(Choice(property.Value, path, ["off", "pathname"]), path, "pathname",
                    ProfileKeys.UnixSocketGrants),
                _ => throw Unknown(property, "linux"),
            };
        }

        return spec;
    }

    private static ProfileSpec ParsePlatformOverrides(ProfileSpec spec, JObject overrides)
    {
        var patches = new List<KeyValuePair<string, ProfileSpec>>(spec.PlatformOverrides);
        foreach (var property in overrides.Properties)
        {
            if (property.Name is not ("linux" or "macos" or "windows"))
            {
                throw Unknown(property, "platform_overrides");
            }

            // Parsed on every platform, so that a mistake in another platform's block is found here too.
            var patch = ParseRoot(property.Value, isOverride: true);
            patches.Add(KeyValuePair.Create(property.Name, patch));
        }

        return spec with { PlatformOverrides = patches };
    }

    private static ProfileSpec SeatbeltRules(ProfileSpec spec, JProperty property, List<Located<string>> warnings)
    {
        _ = StringList(property.Value, property.Name);
        if (OperatingSystem.IsMacOS())
        {
            throw ProfileException.At(property.NameWhere, $"'{property.Name}' is not supported: raw Seatbelt rules are not applied. Remove it, or express the access as filesystem grants");
        }

        warnings.Add(new Located<string>($"'{property.Name}' applies to macOS only; ignored on this platform", property.NameWhere));
        return spec;
    }

    /// <summary>Strings, or objects <c>{"FIELD": ..., "when": "linux"|"macos"}</c> kept only on the platform they name.</summary>
    private static List<Located<string>> ConditionalList(JNode node, string path, string field)
    {
        if (node is not JArray list)
        {
            throw TypeError(node, path, $"a list of strings or {{\"{field}\": ..., \"when\": ...}} objects");
        }

        var result = new List<Located<string>>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (list.Items[i] is not JObject conditional)
            {
                result.Add(new Located<string>(String(list.Items[i], itemPath), list.Items[i].Where));
                continue;
            }

            string? value = null;
            var applies = true;
            foreach (var property in conditional.Properties)
            {
                if (property.Name == field)
                {
                    value = String(property.Value, $"{itemPath}.{field}");
                }
                else if (property.Name == "when")
                {
                    applies = PlatformPredicate.Matches(property.Value, $"{itemPath}.when");
                }
                else
                {
                    throw Unknown(property, itemPath, [field, "when"]);
                }
            }

            if (value is null)
            {
                throw ProfileException.At(conditional.Where, $"'{itemPath}' needs '{field}'");
            }

            if (applies)
            {
                result.Add(new Located<string>(value, conditional.Where));
            }
        }

        return result;
    }

    private static Located<string> Choice(JNode node, string path, string[] allowed)
    {
        var value = String(node, path);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? new Located<string>(value, node.Where)
            : throw ProfileException.At(node.Where, $"'{path}' must be one of {string.Join(", ", allowed)}, not '{value}'");
    }

    private static Located<string> Refusing(Located<string> value, string path, string refused, string why) =>
        value.Value == refused
            ? throw ProfileException.At(value.Where, $"'{path}': '{refused}' is not supported: {why}")
            : value;

    private static Located<string>? NotReadValue(JProperty property, string path)
    {
        _ = ProfileKeys.NotRead(property, path, path);
        return null;
    }
}
