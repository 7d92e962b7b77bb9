namespace Nono.Proxy.Credentials;

/// <summary>
/// Recognises text that is probably an API key pasted where the name of one was expected, so that it
/// is refused instead of being printed back as part of a "keyring account" label.
/// </summary>
internal static class SecretShape
{
    // Well-known token prefixes: OpenAI and Anthropic (sk-), GitHub (ghp_, gho_, ghu_, ghs_, ghr_,
    // github_pat_), GitLab (glpat-), Google API keys (AIza), Slack (xox?-).
    private static readonly string[] KnownPrefixes =
        ["sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "AIza", "xoxb-", "xoxp-", "xoxa-"];

    /// <summary>Long enough that no one names a keyring entry like this, short enough to catch real keys.</summary>
    private const int LongTokenLength = 40;

    public static bool LooksLikeSecret(string text)
    {
        foreach (var prefix in KnownPrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length >= prefix.Length + 16)
            {
                return true;
            }
        }

        return text.Length >= LongTokenLength
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+' or '/' or '=')
            && text.Count(char.IsAsciiDigit) >= 4
            && text.Count(char.IsAsciiLetter) >= 4;
    }
}
