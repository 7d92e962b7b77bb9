namespace Nono.Proxy;

/// <summary>
/// The shape rules of one <see cref="RouteConfig"/> field each, as the proxy enforces them at start.
/// Each returns null for a good value, else what is wrong with it (without the field's name), so a
/// caller that knows where the value was written (a profile's file, line and column) can say so.
/// </summary>
public static class RouteFieldRules
{
    public static string? Upstream(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return $"'{value}' is not an http:// or https:// URL";
        if (uri.UserInfo.Length > 0)
            return "must not contain a user name or password; the secret belongs in the credential reference";
        return uri.Query.Length > 0 || uri.Fragment.Length > 0 ? "must not have a query or fragment" : null;
    }

    /// <summary>
    /// A credential reference (env://, file://, keyring://, cmd://, op://, or a bare keyring account),
    /// by the rule the credential loader applies. The problem never repeats a value that looks like a secret.
    /// </summary>
    public static string? CredentialKey(string value) =>
        Credentials.CredentialReference.TryParse(value, out _, out _, out var error) ? null : error.TrimEnd('.');

    /// <summary>The file a credential reference reads (<c>file:///path</c>), or null for any other source:
    /// what the proxy reads there is for the proxy alone.</summary>
    public static string? CredentialFile(string value) =>
        Credentials.CredentialReference.TryParse(value, out var parsed, out _, out _) && parsed.Kind == Credentials.CredentialSourceKind.File
            ? parsed.Target
            : null;

    /// <summary>An endpoint rule's method: letters, or <c>*</c> for any.</summary>
    public static string? Method(string value) =>
        value == "*" || (value.Length > 0 && value.All(char.IsAsciiLetter)) ? null : $"'{value}' is not an HTTP method (or \"*\")";

    /// <summary>An endpoint rule's path glob: absolute, no whitespace, query or fragment.</summary>
    public static string? PathGlob(string value) =>
        value.StartsWith('/') && !value.Any(c => char.IsWhiteSpace(c) || c is '?' or '#')
            ? null
            : $"'{value}' must be a path starting with '/' (globs '*' and '**' allowed, no query)";

    public static string? HeaderName(string value) =>
        value.Length > 0 && value.All(IsTokenChar) ? null : $"'{value}' is not a valid HTTP header name";

    /// <summary>A credential format, path pattern or path replacement: it must say where the credential goes.</summary>
    public static string? Placeholder(string value) =>
        value.Contains("{}", StringComparison.Ordinal) ? null : "must contain '{}' where the credential goes";

    public static string? QueryParamName(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? null : $"'{value}' is not a plain parameter name";

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
