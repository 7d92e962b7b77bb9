// Env rather than Environment: a Nono.Supervisor.Environment namespace would hide System.Environment's
// short name from every file under Nono.Supervisor.
namespace Nono.Supervisor.Env;

/// <summary>Why a variable is not passed through to the sandboxed child as inherited.</summary>
internal enum VariableKind
{
    /// <summary>Makes a loader, shell or interpreter run code the command line did not name.
    /// Stripped from the inherited environment; a profile may keep the caller's own value by naming it
    /// exactly in <c>allow_vars</c>, but may never set one with <c>set_vars</c> (that would let a profile
    /// file choose code to run, including in the stage that runs before the sandbox is applied).</summary>
    CodeInjection,

    /// <summary>A handle on the user's agents and sessions (ssh-agent, D-Bus, the display): using it
    /// acts with the user's keys or escapes into their desktop. Stripped unless named exactly in <c>allow_vars</c>.</summary>
    AmbientCredential,

    /// <summary>A name that conventionally holds a secret. Stripped unless named exactly in <c>allow_vars</c>;
    /// the way to give the child an API key is a credential route, which gives it only a phantom.</summary>
    Secret,

    /// <summary>Routes traffic; nono's proxy sets its own, and anything else would bypass or confuse it.</summary>
    ProxyRouting,

    /// <summary>Which CAs a client trusts; replaced as a set when the proxy intercepts TLS.</summary>
    TrustStore,
}

/// <summary>One rule: <see cref="Pattern"/> is a name, <c>PREFIX*</c> or <c>*SUFFIX</c>, matched ignoring case.</summary>
internal sealed record VariableRule(string Pattern, VariableKind Kind, string Reason)
{
    public bool Matches(string name) =>
        Pattern.EndsWith('*') ? name.StartsWith(Pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : Pattern.StartsWith('*') ? name.EndsWith(Pattern[1..], StringComparison.OrdinalIgnoreCase)
        : name.Equals(Pattern, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Every environment variable nono treats specially, with the reason, in one table. The child's
/// environment is otherwise the caller's, filtered by the profile's allow/deny lists. Matching ignores
/// case: some programs read lower-case forms (http_proxy), and over-matching a lower-case LD_ name
/// costs nothing.
/// </summary>
internal static partial class VariableRules
{
    /// <summary>True when <paramref name="value"/> holds a URL with a password in its user part
    /// (<c>scheme://user:password@</c>, the user possibly empty), anywhere in the value.</summary>
    public static bool EmbedsPassword(string value) => value.Contains("://", StringComparison.Ordinal) && UrlWithPassword().IsMatch(value);

    [System.Text.RegularExpressions.GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#@\s:]*:[^/?#@\s]+@")]
    private static partial System.Text.RegularExpressions.Regex UrlWithPassword();

    /// <summary>Inherited even when <c>allow_vars</c> is an allowlist: without them ordinary programs misbehave.</summary>
    public static IReadOnlyList<string> Baseline { get; } =
        ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "COLORTERM", "LANG", "LANGUAGE", "LC_*", "TZ", "TMPDIR", "PWD"];

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 255
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A profile pattern: a name, <c>PREFIX*</c>, or <c>*</c> alone.</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern == "*" || IsValidName(pattern.EndsWith('*') ? pattern[..^1] : pattern);

    /// <summary>The first rule matching <paramref name="name"/>, or null for an ordinary variable.</summary>
    public static VariableRule? Match(string name)
    {
        foreach (var rule in All)
        {
            if (rule.Matches(name))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>Matches a profile's <c>allow_vars</c>/<c>deny_vars</c> pattern (<c>NAME</c>, <c>PREFIX*</c>, <c>*</c>), case-sensitively.</summary>
    public static bool MatchesProfilePattern(string pattern, string name) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern;
}
