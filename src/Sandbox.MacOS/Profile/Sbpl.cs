using System.Text;

namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Turns untrusted text (paths, names) into SBPL tokens. SBPL is read by a Scheme reader, so a
/// string literal ends at the first unescaped double quote: everything the policy supplies goes
/// through <see cref="Quote"/>, which escapes the two characters the reader treats specially and
/// refuses control characters outright rather than trusting the reader's escape handling for them.
/// No policy can therefore close a string early or start a new form.
/// </summary>
internal static class Sbpl
{
    public static string Subpath(string path) => $"(subpath {Quote(path)})";

    public static string Literal(string path) => $"(literal {Quote(path)})";

    public static string Regex(string pattern) => $"(regex {Quote(pattern)})";

    /// <summary>A Scheme string literal holding exactly <paramref name="value"/>.</summary>
    /// <exception cref="PolicyException">The value holds a control character (newline, NUL, ...)
    /// or is not valid Unicode.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2);
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new PolicyException(
                    $"The path '{Printable(value)}' is not valid Unicode (an unpaired surrogate), so it cannot be named in a macOS sandbox profile.");
            }

            if (char.IsControl(c))
            {
                throw new PolicyException(
                    $"The path '{Printable(value)}' contains the control character U+{(int)c:X4}; nono refuses to put control characters in a macOS sandbox profile. Rename the path or leave it out of the policy.");
            }

            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.Append('"').ToString();
    }

    /// <summary>The value with control characters shown as \uXXXX, safe to put in a message.</summary>
    public static string Printable(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                text.Append($"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
