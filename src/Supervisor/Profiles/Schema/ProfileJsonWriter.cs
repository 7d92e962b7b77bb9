using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Writes a (merged) profile back in the profile schema, so that <c>nono profile show</c> output can
/// be saved and used as a profile. Paths stay as written (variables unexpanded); only keys with a
/// value are written.
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
            json.WriteStartObject();
            if (spec.Description is { } description)
            {
                json.WriteString("description", description);
            }

            WriteMeta(json, spec.Meta);
            WriteSecurity(json, spec.Security);
            WriteFilesystem(json, spec.Filesystem);
            if (spec.DenyCommands.Count > 0)
            {
                json.WriteStartObject("commands");
                WriteList(json, "deny", spec.DenyCommands.Select(v => v.Value));
                json.WriteEndObject();
            }

            WriteNetwork(json, spec.Network);
            WriteEnvironment(json, spec.Environment);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteMeta(Utf8JsonWriter json, ProfileMeta meta)
    {
        if (meta == ProfileMeta.Empty)
        {
            return;
        }

        json.WriteStartObject("meta");
        WriteOptional(json, "name", meta.Name);
        WriteOptional(json, "version", meta.Version);
        WriteOptional(json, "description", meta.Description);
        WriteOptional(json, "author", meta.Author);
        json.WriteEndObject();
    }

    private static void WriteSecurity(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, Located<string>>> security)
    {
        if (security.Count == 0)
        {
            return;
        }

        json.WriteStartObject("security");
        foreach (var (name, value) in security)
        {
            json.WriteString(name, value.Value);
        }

        json.WriteEndObject();
    }

    private static void WritePorts(Utf8JsonWriter json, string name, IReadOnlyList<Located<int>> ports)
    {
        if (ports.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var port in ports.Select(port => port.Value).Order())
        {
            json.WriteNumberValue(port);
        }

        json.WriteEndArray();
    }

    private static void WriteFilesystem(Utf8JsonWriter json, IReadOnlyList<PathEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        json.WriteStartObject("filesystem");
        foreach (var group in entries.GroupBy(entry => entry.Rule).OrderBy(group => group.Key))
        {
            WriteList(json, PathRules.KeyOf(group.Key), group.Select(entry => entry.Raw));
        }

        json.WriteEndObject();
    }

    private static void WriteNetwork(Utf8JsonWriter json, NetworkSpec network)
    {
        json.WriteStartObject("network");
        if (network.Block is { } block)
        {
            json.WriteBoolean("block", block.Value);
        }

        WriteAllowDomain(json, network);
        WriteList(json, "deny_domain", network.DenyDomain.Select(v => v.Value));
        WritePorts(json, "connect_port", network.ConnectPorts);
        WritePorts(json, "listen_port", network.BindPorts);
        WriteOptional(json, "allow_http2", network.AllowHttp2?.Value);
        WriteList(json, "network_profile", network.NetworkProfile.Select(v => v.Value));
        WriteList(json, "credentials", network.Credentials.Select(v => v.Value));
        if (network.CustomCredentials.Count > 0)
        {
            json.WriteStartObject("custom_credentials");
            foreach (var credential in network.CustomCredentials)
            {
                WriteCredential(json, credential);
            }

            json.WriteEndObject();
        }

        WriteOptional(json, "upstream_proxy", network.UpstreamProxy?.Value);
        WriteList(json, "upstream_bypass", network.UpstreamBypass.Select(v => v.Value));
        if (network.RateLimits.Count > 0)
        {
            json.WriteStartArray("rate_limits");
            foreach (var limit in network.RateLimits)
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

        if (!network.TlsIntercept.IsUnset)
        {
            var tls = network.TlsIntercept;
            json.WriteStartObject("tls_intercept");
            WriteOptional(json, "enabled", tls.Enabled?.Value);
            WriteOptional(json, "intercept_all", tls.InterceptAll?.Value);
            if (tls.CaValidityDays is { } days)
            {
                json.WriteNumber("ca_validity_days", days.Value);
            }

            WriteOptional(json, "name_constraints", tls.NameConstraints?.Value);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteAllowDomain(Utf8JsonWriter json, NetworkSpec network)
    {
        if (network.AllowDomain.Count + network.DomainEndpoints.Count == 0)
        {
            return;
        }

        json.WriteStartArray("allow_domain");
        network.AllowDomain.Select(v => v.Value).ToList().ForEach(json.WriteStringValue);
        foreach (var entry in network.DomainEndpoints)
        {
            json.WriteStartObject();
            json.WriteString("domain", entry.Domain.Value);
            WriteRules(json, "endpoints", entry.Endpoints);
            json.WriteEndObject();
        }

        json.WriteEndArray();
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

        json.WriteEndObject();
    }

    private static void WriteEnvironment(Utf8JsonWriter json, EnvironmentSpec environment)
    {
        if (environment == EnvironmentSpec.Empty || (environment.AllowVars.Count + environment.DenyVars.Count + environment.SetVars.Count) == 0)
        {
            return;
        }

        json.WriteStartObject("environment");
        WriteList(json, "allow_vars", environment.AllowVars.Select(v => v.Value));
        WriteList(json, "deny_vars", environment.DenyVars.Select(v => v.Value));
        if (environment.SetVars.Count > 0)
        {
            json.WriteStartObject("set_vars");
            foreach (var set in environment.SetVars)
            {
                json.WriteString(set.Name, set.Value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return;
        }

        json.WriteStartArray(name);
        list.ForEach(json.WriteStringValue);
        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } flag)
        {
            json.WriteBoolean(name, flag);
        }
    }
}
