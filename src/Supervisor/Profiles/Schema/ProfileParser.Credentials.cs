using Nono.Proxy;
using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

internal static partial class ProfileParser
{
    private static readonly string[] CredentialKeys =
    [
        "upstream", "credential_key", "inject_mode", "inject_header", "credential_format",
        "path_pattern", "path_replacement", "query_param_name", "env_var", "endpoint_rules",
        "tls_ca", "tls_client_cert", "tls_client_key",
    ];

    private static readonly string[] EndpointRuleKeys = ["method", "path"];

    private static readonly string[] InjectModes = ["header", "url_path", "query_param", "basic_auth"];

    /// <summary>Service names become route prefixes (<c>/NAME</c>) and variable names, so they are kept plain.</summary>
    internal static void RequireServiceName(string name, SourceLocation where, string path)
    {
        var valid = name.Length is > 0 and <= 64
            && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        if (!valid)
        {
            throw ProfileException.At(where, $"'{path}': '{name}' is not a valid service name (letters, digits, '_' and '-', starting with a letter or digit)");
        }
    }

    private static CustomCredentialSpec ParseCustomCredential(string name, SourceLocation where, JObject entry, string path)
    {
        var values = new Dictionary<string, JNode>(StringComparer.Ordinal);
        foreach (var property in entry.Properties)
        {
            if (!CredentialKeys.Contains(property.Name))
            {
                _ = ProfileKeys.NotRead(property, $"{path}.{property.Name}", SchemaPath($"{path}.{property.Name}"));
                continue;
            }

            values[property.Name] = property.Value;
        }

        string? Optional(string key) => values.TryGetValue(key, out var node) ? NonEmpty(node, $"{path}.{key}") : null;
        string Required(string key) => Optional(key) ?? throw ProfileException.At(where, $"'{path}' needs '{key}'");

        var mode = InjectMode.Header;
        if (values.TryGetValue("inject_mode", out var modeNode))
        {
            mode = NonEmpty(modeNode, $"{path}.inject_mode") switch
            {
                "header" => InjectMode.Header,
                "url_path" => InjectMode.UrlPath,
                "query_param" => InjectMode.QueryParam,
                "basic_auth" => InjectMode.BasicAuth,
                var other => throw ProfileException.At(modeNode.Where, $"'{path}.inject_mode': '{other}' is not an injection mode; use one of {string.Join(", ", InjectModes)}"),
            };
        }

        var spec = new CustomCredentialSpec
        {
            Name = name,
            Where = where,
            Upstream = CredentialShape.Upstream(Required("upstream"), Location(values, "upstream", where), $"{path}.upstream"),
            CredentialKey = CredentialShape.CredentialKey(Required("credential_key"), Location(values, "credential_key", where), $"{path}.credential_key"),
            InjectMode = mode,
            InjectHeader = Optional("inject_header"),
            CredentialFormat = Optional("credential_format"),
            PathPattern = Optional("path_pattern"),
            PathReplacement = Optional("path_replacement"),
            QueryParamName = Optional("query_param_name"),
            EnvVar = values.TryGetValue("env_var", out var envNode) ? new Located<string>(NonEmpty(envNode, $"{path}.env_var"), envNode.Where) : null,
            EndpointRules = values.TryGetValue("endpoint_rules", out var rulesNode) ? EndpointRules(rulesNode, $"{path}.endpoint_rules") : [],
            TlsCa = TlsFile(values, "tls_ca", path),
            TlsClientCert = TlsFile(values, "tls_client_cert", path),
            TlsClientKey = TlsFile(values, "tls_client_key", path),
        };
        CredentialShape.CheckTlsFiles(spec, path);
        CredentialShape.CheckModeFields(spec, values.ToDictionary(pair => pair.Key, pair => pair.Value.Where), path);
        return spec;
    }

    private static List<EndpointRule> EndpointRules(JNode node, string path)
    {
        if (node is not JArray list)
        {
            throw TypeError(node, path, "a list of {\"method\": ..., \"path\": ...} objects");
        }

        var rules = new List<EndpointRule>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var rule = Object(list.Items[i], itemPath);
            string? method = null;
            string? glob = null;
            foreach (var property in rule.Properties)
            {
                _ = property.Name switch
                {
                    "method" => method = CredentialShape.Method(NonEmpty(property.Value, $"{itemPath}.method"), property.Value.Where, $"{itemPath}.method"),
                    "path" => glob = CredentialShape.PathGlob(NonEmpty(property.Value, $"{itemPath}.path"), property.Value.Where, $"{itemPath}.path"),
                    _ => throw Unknown(property, itemPath, EndpointRuleKeys),
                };
            }

            rules.Add(new EndpointRule(
                method ?? throw ProfileException.At(rule.Where, $"'{itemPath}' needs 'method' (e.g. \"GET\", or \"*\" for any)"),
                glob ?? throw ProfileException.At(rule.Where, $"'{itemPath}' needs 'path' (e.g. \"/v1/**\")")));
        }

        return rules;
    }

    /// <summary>A PEM file for the route's upstream TLS: a path as in <c>filesystem</c> (<c>~</c>, <c>$HOME</c>, ...), or null for none.</summary>
    private static Located<string>? TlsFile(Dictionary<string, JNode> values, string key, string path)
    {
        if (!values.TryGetValue(key, out var node) || node is JNull)
        {
            return null;
        }

        var value = NonEmpty(node, $"{path}.{key}");
        PathVariables.Validate(value, node.Where, $"{path}.{key}");
        return new Located<string>(value, node.Where);
    }

    private static string NonEmpty(JNode node, string path)
    {
        var value = String(node, path);
        return value.Length > 0 ? value : throw ProfileException.At(node.Where, $"'{path}' is empty");
    }

    private static SourceLocation Location(Dictionary<string, JNode> values, string key, SourceLocation fallback) =>
        values.TryGetValue(key, out var node) ? node.Where : fallback;
}
