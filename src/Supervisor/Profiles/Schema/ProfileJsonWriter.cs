using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Writes a (merged) profile back in the profile schema, so that <c>nono profile show</c> output can
/// be saved and used as a profile. It walks the key table: every key with a value is written through
/// its field, in the table's order, inside its section; <c>network</c> is always written. Paths stay
/// as written (variables unexpanded).
/// </summary>
internal static class ProfileJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(ProfileSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            WriteProfile(json, spec);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteProfile(Utf8JsonWriter json, ProfileSpec spec)
    {
        json.WriteStartObject();
        WriteKeysIn(json, string.Empty, spec);
        json.WriteEndObject();
    }

    private static void WriteKeysIn(Utf8JsonWriter json, string section, ProfileSpec spec)
    {
        foreach (var key in ProfileKeys.KeysIn(section))
        {
            if (key.Field is { } field)
            {
                if (field.HasValue(spec, key.Name))
                {
                    field.Write(json, key.Name, spec);
                }
            }
            else if (ProfileKeys.HoldingOf(key) == KeyHolding.Section && (key.Path == "network" || HasValueIn(key.Path, spec)))
            {
                json.WriteStartObject(key.Name);
                WriteKeysIn(json, key.Path, spec);
                json.WriteEndObject();
            }
        }
    }

    private static bool HasValueIn(string section, ProfileSpec spec) =>
        ProfileKeys.KeysIn(section).Any(key => key.Field is { } field ? field.HasValue(spec, key.Name) : HasValueIn(key.Path, spec));

    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    public static void WritePorts(Utf8JsonWriter json, string name, IReadOnlyList<Located<int>> ports)
    {
        json.WriteStartArray(name);
        foreach (var port in ports.Select(port => port.Value).Order())
        {
            json.WriteNumberValue(port);
        }

        json.WriteEndArray();
    }

    public static void WriteSetVars(Utf8JsonWriter json, string name, IReadOnlyList<SetVar> setVars)
    {
        json.WriteStartObject(name);
        foreach (var set in setVars)
        {
            json.WriteString(set.Name, set.Value);
        }

        json.WriteEndObject();
    }

    /// <summary>Patches for the same platform from several layers are written as one, merged in order (as they are applied).</summary>
    public static void WritePlatformOverrides(Utf8JsonWriter json, string name, IReadOnlyList<KeyValuePair<string, ProfileSpec>> patches)
    {
        json.WriteStartObject(name);
        foreach (var platform in patches.GroupBy(patch => patch.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(platform.Key);
            WriteProfile(json, platform.Select(patch => patch.Value).Aggregate(ProfileMerger.Merge));
        }

        json.WriteEndObject();
    }

    public static void WriteAllowDomain(Utf8JsonWriter json, string name, ProfileSpec spec)
    {
        json.WriteStartArray(name);
        spec.Network.AllowDomain.Select(v => v.Value).ToList().ForEach(json.WriteStringValue);
        foreach (var entry in spec.Network.DomainEndpoints)
        {
            json.WriteStartObject();
            json.WriteString("domain", entry.Domain.Value);
            WriteRules(json, "endpoints", entry.Endpoints);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void WriteRateLimits(Utf8JsonWriter json, string name, IReadOnlyList<RateLimitSpec> limits)
    {
        json.WriteStartArray(name);
        foreach (var limit in limits)
        {
            json.WriteStartObject();
            WriteOptional(json, "host", limit.Host);
            WriteOptional(json, "route", limit.Route);
            json.WriteNumber("requests_per_second", limit.RequestsPerSecond);
            json.WriteNumber("burst", limit.Burst);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void WriteCredentials(Utf8JsonWriter json, string name, IReadOnlyList<CustomCredentialSpec> credentials)
    {
        json.WriteStartObject(name);
        foreach (var credential in credentials)
        {
            WriteCredential(json, credential);
        }

        json.WriteEndObject();
    }

    private static void WriteRules(Utf8JsonWriter json, string name, IReadOnlyList<EndpointRule> rules)
    {
        json.WriteStartArray(name);
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("method", rule.Method);
            json.WriteString("path", rule.PathGlob);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteCredential(Utf8JsonWriter json, CustomCredentialSpec credential)
    {
        json.WriteStartObject(credential.Name);
        json.WriteString("upstream", credential.Upstream);
        json.WriteString("credential_key", credential.CredentialKey);
        json.WriteString("inject_mode", credential.InjectMode switch
        {
            InjectMode.UrlPath => "url_path",
            InjectMode.QueryParam => "query_param",
            InjectMode.BasicAuth => "basic_auth",
            _ => "header",
        });
        WriteOptional(json, "inject_header", credential.InjectHeader);
        WriteOptional(json, "credential_format", credential.CredentialFormat);
        WriteOptional(json, "path_pattern", credential.PathPattern);
        WriteOptional(json, "path_replacement", credential.PathReplacement);
        WriteOptional(json, "query_param_name", credential.QueryParamName);
        WriteOptional(json, "env_var", credential.EnvVar?.Value);
        if (credential.EndpointRules.Count > 0)
        {
            WriteRules(json, "endpoint_rules", credential.EndpointRules);
        }

        WriteOptional(json, "tls_ca", credential.TlsCa?.Value);
        WriteOptional(json, "tls_client_cert", credential.TlsClientCert?.Value);
        WriteOptional(json, "tls_client_key", credential.TlsClientKey?.Value);

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
