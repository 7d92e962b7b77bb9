using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>Shape checks for the fields of a custom credential, each failing with the field's location.</summary>
internal static class CredentialShape
{
    private static readonly string[] CredentialSchemes = ["env://", "file://", "keyring://", "cmd://", "op://"];

    public static string Upstream(string value, SourceLocation where, string path)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw ProfileException.At(where, $"'{path}': '{value}' is not an http:// or https:// URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw ProfileException.At(where, $"'{path}' must not contain a user name or password; put the secret in 'credential_key'");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw ProfileException.At(where, $"'{path}' must not have a query or fragment");
        }

        return value.TrimEnd('/');
    }

    /// <summary>A credential reference (never the secret itself): env://, file://, keyring://, cmd://, op://, or a bare keyring account.</summary>
    public static string CredentialKey(string value, SourceLocation where, string path)
    {
        var scheme = CredentialSchemes.FirstOrDefault(s => value.StartsWith(s, StringComparison.Ordinal));
        if (scheme is null)
        {
            if (value.Contains("://", StringComparison.Ordinal))
            {
                throw ProfileException.At(where, $"'{path}' uses an unknown scheme; use one of {string.Join(", ", CredentialSchemes)} or a bare keyring account name");
            }

            if (value.Any(char.IsWhiteSpace))
            {
                throw ProfileException.At(where, $"'{path}': a bare keyring account name cannot contain spaces");
            }

            return value;
        }

        var rest = value[scheme.Length..];
        var valid = scheme switch
        {
            "env://" => Env.VariableRules.IsValidName(rest),
            "file://" => rest.StartsWith('/') || rest.StartsWith('~') || rest.StartsWith('$'),
            _ => rest.Trim().Length > 0,
        };
        return valid
            ? value
            : throw ProfileException.At(where, scheme switch
            {
                "env://" => $"'{path}': '{rest}' after env:// is not a variable name",
                "file://" => $"'{path}': file:// needs an absolute path, as in file:///home/me/.config/key",
                _ => $"'{path}': nothing follows {scheme}",
            });
    }

    public static string Method(string value, SourceLocation where, string path) =>
        value == "*" || value.All(char.IsAsciiLetter)
            ? value.ToUpperInvariant()
            : throw ProfileException.At(where, $"'{path}': '{value}' is not an HTTP method (or \"*\")");

    public static string PathGlob(string value, SourceLocation where, string path) =>
        value.StartsWith('/') && !value.Any(c => char.IsWhiteSpace(c) || c is '?' or '#')
            ? value
            : throw ProfileException.At(where, $"'{path}': '{value}' must be a path starting with '/' (globs '*' and '**' allowed, no query)");

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

        RequirePlaceholder(spec.CredentialFormat, present, "credential_format", path);
        RequirePlaceholder(spec.PathPattern, present, "path_pattern", path);
        RequirePlaceholder(spec.PathReplacement, present, "path_replacement", path);
        if (spec.InjectHeader is { } header && !header.All(IsTokenChar))
        {
            throw ProfileException.At(present["inject_header"], $"'{path}.inject_header': '{header}' is not a valid HTTP header name");
        }

        if (spec.QueryParamName is { } query && !query.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw ProfileException.At(present["query_param_name"], $"'{path}.query_param_name': '{query}' is not a plain parameter name");
        }
    }

    private static void RequirePlaceholder(string? value, IReadOnlyDictionary<string, SourceLocation> present, string field, string path)
    {
        if (value is not null && !value.Contains("{}", StringComparison.Ordinal))
        {
            throw ProfileException.At(present[field], $"'{path}.{field}' must contain '{{}}' where the credential goes");
        }
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
