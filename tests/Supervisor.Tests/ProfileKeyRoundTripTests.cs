using System.Collections;
using System.Globalization;
using System.Text;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Tests;

/// <summary>
/// The key table is the one place a key is added: every enforced key says where its value goes, and a
/// profile that sets every enforced key comes back unchanged through the merger and the writer.
/// A value the parser keeps but no key's field merges or writes is lost here, and the test fails.
/// </summary>
public sealed class ProfileKeyRoundTripTests
{
    /// <summary>Sets every enforced key (under its own spelling, not an alias) with a value that holds something.</summary>
    private const string EveryKey = """
        {
          "$schema": "https://example.com/nono-profile.schema.json",
          "extends": ["default"],
          "description": "every key",
          "meta": { "name": "n", "version": "1", "description": "d", "author": "a" },
          "groups": { "include": ["git_config"], "exclude": ["homebrew_linux"] },
          "workdir": { "access": "read" },
          "security": {
            "signal_mode": "isolated", "process_info_mode": "allow_same_sandbox", "ipc_mode": "full",
            "capability_elevation": false, "wsl2_proxy_policy": "error"
          },
          "filesystem": {
            "allow": ["$WORKDIR"], "read": ["/usr"], "write": ["$TMPDIR/out"],
            "allow_file": ["~/.tool.json"], "read_file": ["/etc/hosts"], "write_file": ["$HOME/log.txt"],
            "deny": ["$WORKDIR/.env"], "bypass_protection": ["~/.gitconfig"]
          },
          "commands": { "deny": ["sudo", "su"], "allow": ["su"] },
          "network": {
            "block": false,
            "allow_domain": ["example.com", "github", { "domain": "api.example.org", "endpoints": [{ "method": "GET", "path": "/v1/**" }] }],
            "deny_domain": ["evil.example.com"],
            "connect_port": [5432], "listen_port": [8080],
            "allow_http2": true,
            "network_profile": ["llm_apis"],
            "credentials": ["openai", "my-api", "by-path"],
            "custom_credentials": {
              "my-api": {
                "upstream": "https://api.example.com/v2", "credential_key": "env://MY_API_SECRET",
                "inject_mode": "header", "inject_header": "X-Api-Key", "credential_format": "Token {}",
                "env_var": "MY_API_KEY", "endpoint_rules": [{ "method": "POST", "path": "/v2/items/**" }],
                "tls_ca": "~/.config/my-api/ca.pem", "tls_client_cert": "$HOME/.config/my-api/client.pem", "tls_client_key": "~/.config/my-api/client.key"
              },
              "by-path": {
                "upstream": "https://bot.example.com", "credential_key": "file:///home/me/.config/bot",
                "inject_mode": "url_path", "path_pattern": "/bot{}/", "path_replacement": "/bot{}/"
              },
              "by-query": {
                "upstream": "https://maps.example.com", "credential_key": "maps-account",
                "inject_mode": "query_param", "query_param_name": "key"
              }
            },
            "upstream_proxy": "proxy.corp.example:3128",
            "upstream_bypass": ["intranet.example"],
            "rate_limits": [{ "host": "example.com", "requests_per_second": 5, "burst": 10 }, { "route": "my-api", "requests_per_second": 1, "burst": 2 }],
            "tls_intercept": {
              "enabled": true, "intercept_all": true, "ca_validity_days": 7, "name_constraints": true, "ca_lifecycle": "session"
            }
          },
          "environment": { "allow_vars": ["LC_*", "HOME"], "deny_vars": ["AWS_*"], "set_vars": { "EDITOR": "vi" } },
          "platform_overrides": {
            "linux": { "filesystem": { "read": ["/opt/linux"] }, "network": { "connect_port": [6379] } },
            "macos": { "filesystem": { "read": ["/opt/homebrew"] } },
            "windows": { "description": "never applied" }
          },
          "linux": { "sandbox_policy": "landlock", "af_unix_mediation": "off" },
          "unsafe_macos_seatbelt_rules": []
        }
        """;

    private static ProfileSpec Parse(string json) => ProfileParser.Parse(Encoding.UTF8.GetBytes(json), "every.json");

    [Fact]
    public void Every_enforced_key_says_where_its_value_is_kept()
    {
        foreach (var key in ProfileKeys.All)
        {
            var holding = ProfileKeys.HoldingOf(key);
            Assert.True(holding != KeyHolding.Unbound, $"'{key.Path}' is enforced but has no field, alias or declared holding");
            Assert.True(key.Class == KeyClass.Enforced || holding == KeyHolding.Nothing, $"'{key.Path}' is {key.Class} but holds a value");
            foreach (var target in key.AliasOf ?? [])
            {
                Assert.True(ProfileKeys.Find(target) is { Field: not null }, $"'{key.Path}' is an alias of '{target}', which has no field");
            }

            if (holding == KeyHolding.InParentField)
            {
                Assert.True(Ancestors(key.Path).Any(path => ProfileKeys.Find(path) is { Field: not null }), $"'{key.Path}' is part of a parent value, but no enclosing key has a field");
            }

            Assert.True(key.Flag is null || key.Field is not null, $"'{key.Path}' has a flag but no field for it to set");
        }
    }

    [Fact]
    public void The_sample_sets_every_enforced_key_and_every_field()
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        CollectPaths(JNodeReader.Parse(Encoding.UTF8.GetBytes(EveryKey), "every.json"), string.Empty, written);
        var missing = ProfileKeys.All
            .Where(key => key.Class == KeyClass.Enforced && ProfileKeys.HoldingOf(key) != KeyHolding.Alias && !written.Contains(key.Path))
            .Select(key => key.Path);
        Assert.Empty(missing);

        var spec = Parse(EveryKey);
        var empty = ProfileKeys.All.Where(key => key.Field is { } field && !field.HasValue(spec, key.Name)).Select(key => key.Path);
        Assert.Empty(empty);
        Assert.Empty(UnsetProperties(spec, "spec"));
    }

    [Fact]
    public void Every_key_survives_merge_and_write()
    {
        var spec = Parse(EveryKey);
        var expected = Dump(spec);

        Assert.Equal(expected, Dump(ProfileMerger.Merge(ProfileSpec.Empty, spec)));
        Assert.Equal(expected, Dump(ProfileMerger.Merge(spec, ProfileSpec.Empty)));
        Assert.Equal(expected, Dump(ProfileMerger.Merge(spec, spec)));

        var shown = ProfileJsonWriter.Write(ProfileMerger.Merge(ProfileSpec.Empty, spec));
        Assert.Equal(expected, Dump(Parse(shown)));
    }

    [Fact]
    public void Upper_layers_append_lists_merge_maps_and_override_scalars()
    {
        var lower = Parse("""
            { "description": "low", "filesystem": { "read": ["/a"] },
              "environment": { "set_vars": { "A": "1", "B": "2" } }, "network": { "tls_intercept": { "ca_validity_days": 3 } } }
            """);
        var upper = Parse("""
            { "description": "up", "filesystem": { "read": ["/b", "/a"] },
              "environment": { "set_vars": { "B": "3" } }, "network": { "tls_intercept": { "intercept_all": true } } }
            """);

        var merged = ProfileMerger.Merge(lower, upper);

        Assert.Equal("up", merged.Description);
        Assert.Equal(["/a", "/b"], merged.Filesystem.Select(entry => entry.Raw));
        Assert.Equal(["A=1", "B=3"], merged.Environment.SetVars.Select(set => $"{set.Name}={set.Value}"));
        Assert.Equal(3, merged.Network.TlsIntercept.CaValidityDays?.Value);
        Assert.True(merged.Network.TlsIntercept.InterceptAll?.Value);
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
        {
            yield return path[..dot];
        }
    }

    /// <summary>The table paths a JSON profile writes (custom credential names as <c>*</c>, override patches as top-level keys under their platform).</summary>
    private static void CollectPaths(JNode node, string prefix, HashSet<string> paths)
    {
        if (node is not JObject obj)
        {
            return;
        }

        foreach (var property in obj.Properties)
        {
            var path = prefix == "network.custom_credentials." ? prefix + "*" : prefix + property.Name;
            paths.Add(path);
            CollectPaths(property.Value, path.StartsWith("platform_overrides.", StringComparison.Ordinal) ? string.Empty : path + ".", path.StartsWith("platform_overrides.", StringComparison.Ordinal) ? [] : paths);
        }
    }

    /// <summary>Properties of the profile records that the sample leaves at their default: a field the sample (and so this test) does not cover.</summary>
    private static IEnumerable<string> UnsetProperties(object record, string path)
    {
        foreach (var property in record.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(property => property.GetIndexParameters().Length == 0 && property.Name != "Warnings"))
        {
            var value = property.GetValue(record);
            var propertyPath = $"{path}.{property.Name}";
            if (value is null || (value is ICollection { Count: 0 }))
            {
                yield return propertyPath;
            }
            else if (value is ProfileMeta or NetworkSpec or EnvironmentSpec or TlsInterceptSpec)
            {
                foreach (var unset in UnsetProperties(value, propertyPath))
                {
                    yield return unset;
                }
            }
        }
    }

    /// <summary>Every value of a spec, recursively, without source locations: equal dumps hold the same profile.</summary>
    private static string Dump(object? value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string or bool or Enum or int or long or double:
                text.Append(CultureInfo.InvariantCulture, $"{value}");
                break;
            case IEnumerable items:
                text.Append('[');
                foreach (var item in items)
                {
                    Append(text, item);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append('{');
                foreach (var property in value.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
                    .Where(property => property.GetIndexParameters().Length == 0 && property.PropertyType != typeof(SourceLocation) && property.Name is not ("Warnings" or "Extends" or "IsUnset"))
                    .OrderBy(property => property.Name, StringComparer.Ordinal))
                {
                    text.Append(property.Name).Append('=');
                    Append(text, property.GetValue(value));
                    text.Append(';');
                }

                text.Append('}');
                break;
        }
    }
}
