using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>Shape checks for the fields of a custom credential, each failing with the field's location.</summary>
internal static class CredentialShape
{
    public static string Upstream(string value, SourceLocation where, string path)
    {
        Require(RouteFieldRules.Upstream(value), where, path);
        return value.TrimEnd('/');
    }

    /// <summary>The proxy's rule for the field decides; the error is reported where the value was written.</summary>
    private static void Require(string? problem, SourceLocation where, string path)
    {
        if (problem is not null)
        {
            throw ProfileException.At(where, $"'{path}': {problem}");
        }
    }

    /// <summary>
    /// A credential reference (never the secret itself), checked by the proxy's own rule. <c>file://~/...</c>
    /// and <c>file://$HOME/...</c> are allowed here and expanded like profile paths when the profile is resolved.
    /// </summary>
    public static string CredentialKey(string value, SourceLocation where, string path)
    {
        const string File = "file://";
        var expandable = value.StartsWith(File + "~", StringComparison.Ordinal) || value.StartsWith(File + "$", StringComparison.Ordinal);
        Require(RouteFieldRules.CredentialKey(expandable ? File + "/" + value[File.Length..] : value), where, path);
        return value;
    }

    public static string Method(string value, SourceLocation where, string path)
    {
        Require(RouteFieldRules.Method(value), where, path);
        return value.ToUpperInvariant();
    }

    public static string PathGlob(string value, SourceLocation where, string path)
    {
        Require(RouteFieldRules.PathGlob(value), where, path);
        return value;
    }

    /// <summary>A client certificate needs its key and the key its certificate; TLS files need an https upstream.</summary>
    public static void CheckTlsFiles(CustomCredentialSpec spec, string path)
    {
        if ((spec.TlsClientCert is null) != (spec.TlsClientKey is null))
        {
            var (set, missing) = spec.TlsClientCert is { } cert ? (cert, "tls_client_key") : (spec.TlsClientKey!, "tls_client_cert");
            throw ProfileException.At(set.Where, $"'{path}' sets {(missing == "tls_client_key" ? "tls_client_cert" : "tls_client_key")} without {missing}; mutual TLS needs both PEM files");
        }

        if ((spec.TlsCa ?? spec.TlsClientCert) is { } file && !spec.Upstream.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw ProfileException.At(file.Where, $"'{path}': TLS files apply to an https:// upstream, and '{spec.Upstream}' is not one");
        }
    }

    /// <summary>Each injection mode needs some fields and has no use for the others; both mistakes are reported.</summary>
    public static void CheckModeFields(CustomCredentialSpec spec, IReadOnlyDictionary<string, SourceLocation> present, string path)
    {
        var (mode, needed, allowed) = spec.InjectMode switch
        {
            InjectMode.Header => ("header", Array.Empty<string>(), new[] { "inject_header", "credential_format" }),
            InjectMode.UrlPath => ("url_path", ["path_pattern", "path_replacement"], ["path_pattern", "path_replacement"]),
            InjectMode.QueryParam => ("query_param", ["query_param_name"], ["query_param_name"]),
            _ => ("basic_auth", [], []),
        };
        string[] modeFields = ["inject_header", "credential_format", "path_pattern", "path_replacement", "query_param_name"];
        foreach (var field in modeFields.Where(present.ContainsKey).Where(f => !allowed.Contains(f)))
        {
            throw ProfileException.At(present[field], $"'{path}.{field}' has no effect with inject_mode '{mode}'; remove it or change the mode");
        }

        foreach (var field in needed.Where(f => !present.ContainsKey(f)))
        {
            throw ProfileException.At(spec.Where, $"'{path}' uses inject_mode '{mode}' and needs '{field}'");
        }

        Check(spec.CredentialFormat, RouteFieldRules.Placeholder, "credential_format");
        Check(spec.PathPattern, RouteFieldRules.Placeholder, "path_pattern");
        Check(spec.PathReplacement, RouteFieldRules.Placeholder, "path_replacement");
        Check(spec.InjectHeader, RouteFieldRules.HeaderName, "inject_header");
        Check(spec.QueryParamName, RouteFieldRules.QueryParamName, "query_param_name");

        void Check(string? value, Func<string, string?> rule, string field)
        {
            if (value is not null)
            {
                Require(rule(value), present[field], $"{path}.{field}");
            }
        }
    }
}
