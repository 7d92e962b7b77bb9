using System.Text.RegularExpressions;

namespace Nono.Supervisor.Git;

/// <summary>
/// Finds credentials written into URLs: <c>https://user:token@host</c>, and <c>https://token@host</c>
/// (GitHub, GitLab and others take a bare token as the user name). An ssh user name
/// (<c>ssh://git@host</c>, <c>git@host:path</c>) is not a secret and does not count.
/// </summary>
internal static partial class UrlCredentials
{
    public static bool Carries(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (Match match in UserInfo().Matches(text))
        {
            var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
            var userInfo = match.Groups["userinfo"].Value;
            if (userInfo.Contains(':', StringComparison.Ordinal) || !scheme.StartsWith("ssh", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // scheme://userinfo@ where userinfo runs up to the first '@' before any '/', '?' or '#'.
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?<userinfo>[^/?#@\s]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
