using System.Text;

namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Builds the regular expression that matches a path in any letter case. The default macOS volume is
/// case-insensitive: `~/.SSH/id_rsa` opens `~/.ssh/id_rsa`, and a file created as `~/.SSH/config` is
/// later read by tools as `~/.ssh/config`. A deny written only as `(subpath "~/.ssh")` compares bytes,
/// so every deny also carries this pattern.
/// </summary>
/// <remarks>
/// The pattern uses only anchors, bracket expressions and one group — the constructs Apple's own
/// profiles use — and never a backslash: a metacharacter becomes a one-character bracket such as
/// <c>[.]</c>. The characters that cannot be written that way (<c>[ ] ^ \</c>) are refused.
/// Letters outside ASCII are matched exactly (their case variants are not covered).
/// </remarks>
internal static class CaseFoldPattern
{
    /// <summary>Matches <paramref name="path"/> and everything below it.</summary>
    public static string Subtree(string path) => $"^{Fold(path)}(/|$)";

    /// <summary>Matches <paramref name="path"/> alone.</summary>
    public static string Exact(string path) => $"^{Fold(path)}$";

    private static string Fold(string path)
    {
        var pattern = new StringBuilder(path.Length * 4);
        foreach (var c in path)
        {
            if (char.IsAsciiLetter(c))
            {
                pattern.Append('[').Append(char.ToUpperInvariant(c)).Append(char.ToLowerInvariant(c)).Append(']');
            }
            else if (c is '.' or '(' or ')' or '*' or '+' or '?' or '{' or '}' or '|' or '$')
            {
                pattern.Append('[').Append(c).Append(']');
            }
            else if (c is '[' or ']' or '^' or '\\')
            {
                throw new PolicyException(
                    $"The denied path '{Sbpl.Printable(path)}' contains '{c}', which nono cannot express in a case-insensitive macOS sandbox rule. Rename the path or remove the deny.");
            }
            else
            {
                pattern.Append(c);
            }
        }

        return pattern.ToString();
    }
}
