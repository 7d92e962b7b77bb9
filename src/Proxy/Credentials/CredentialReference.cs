using System.Diagnostics.CodeAnalysis;

namespace Nono.Proxy.Credentials;

internal enum CredentialSourceKind
{
    Environment,
    File,
    Keyring,
    Command,
    OnePassword,
}

/// <summary>
/// A parsed credential reference. <see cref="Target"/> is what the source needs: a variable name, an
/// absolute path, a command line, an <c>op://</c> reference, or the keyring account (with
/// <see cref="KeyringService"/>). None of it is secret, which is why it may appear in <see cref="Label"/>.
/// </summary>
internal sealed record CredentialReference(CredentialSourceKind Kind, string Target, string Label, string? KeyringService = null)
{
    /// <summary>The keyring service used for a bare name (<c>openai</c> means service <c>nono</c>, account <c>openai</c>).</summary>
    public const string DefaultKeyringService = "nono";

    private const string Usage = "use env://VAR, file:///absolute/path, keyring://service/account (or a bare keyring account name), cmd://command args, or op://vault/item/field";

    public static bool TryParse(string? reference, [NotNullWhen(true)] out CredentialReference? parsed, out string label, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var text = reference?.Trim() ?? "";
        label = text;
        if (text.Length == 0)
        {
            error = $"The credential reference is empty: {Usage}.";
            label = "(empty)";
            return false;
        }

        if (text.Any(char.IsControl))
        {
            error = "The credential reference contains control characters (a line break?): it must be one line.";
            label = "(invalid)";
            return false;
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return TryKeyring(DefaultKeyringService, text, out parsed, out label, out error);
        }

        var scheme = text[..schemeEnd];
        var rest = text[(schemeEnd + 3)..];
        switch (scheme)
        {
            case "env":
                return TryEnvironment(rest, out parsed, out error);
            case "file":
                return TryFile(rest, out parsed, out error);
            case "keyring":
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == rest.Length - 1)
                {
                    error = $"'{text}' is not keyring://service/account: both parts are required.";
                    return false;
                }

                return TryKeyring(rest[..slash], rest[(slash + 1)..], out parsed, out label, out error);
            case "cmd":
                if (rest.Trim().Length == 0)
                {
                    error = "cmd:// needs a command, e.g. cmd://pass show openai.";
                    return false;
                }

                parsed = new(CredentialSourceKind.Command, rest.Trim(), $"cmd://{rest.Trim()}");
                error = null;
                return true;
            case "op":
                if (rest.Split('/').Count(segment => segment.Length > 0) < 3)
                {
                    error = $"'{text}' is not a 1Password secret reference: use op://vault/item/field.";
                    return false;
                }

                parsed = new(CredentialSourceKind.OnePassword, text, text);
                error = null;
                return true;
            default:
                label = "(unknown source)";
                error = $"Unknown credential source '{scheme}://': {Usage}.";
                return false;
        }
    }

    private static bool TryEnvironment(string name, [NotNullWhen(true)] out CredentialReference? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (!IsVariableName(name))
        {
            error = $"'env://{name}' does not name an environment variable: use letters, digits and '_', not starting with a digit.";
            return false;
        }

        parsed = new(CredentialSourceKind.Environment, name, $"env://{name}");
        error = null;
        return true;
    }

    private static bool TryFile(string path, [NotNullWhen(true)] out CredentialReference? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (!path.StartsWith('/'))
        {
            // file://key.txt would be ambiguous (a host name in URL terms), and a path relative to
            // wherever nono happened to start is a different file tomorrow.
            error = $"'file://{path}' is not an absolute path: write file:///absolute/path/to/key (three slashes).";
            return false;
        }

        parsed = new(CredentialSourceKind.File, path, $"file://{path}");
        error = null;
        return true;
    }

    private static bool TryKeyring(string service, string account, [NotNullWhen(true)] out CredentialReference? parsed, out string label, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (SecretShape.LooksLikeSecret(account))
        {
            // Someone pasted the key itself where its name belongs; never echo it back.
            label = $"keyring:{service}/(redacted)";
            error = "The credential reference looks like an API key itself, not the name of one. Store the key "
                + "(e.g. in the keyring) and give its name or location instead, and rotate the key if this setting was shared.";
            return false;
        }

        label = $"keyring:{service}/{account}";
        if (service.Any(char.IsWhiteSpace) || account.Any(char.IsWhiteSpace))
        {
            error = $"'{label}' contains white space; keyring service and account names must not. {Usage}.";
            return false;
        }

        parsed = new(CredentialSourceKind.Keyring, account, label, service);
        error = null;
        return true;
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0
        && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
