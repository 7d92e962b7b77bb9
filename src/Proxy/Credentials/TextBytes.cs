using System.Text;
using System.Text.Unicode;

namespace Nono.Proxy.Credentials;

/// <summary>Byte-level text helpers for secrets and helper-program output.</summary>
internal static class TextBytes
{
    private const int ExcerptChars = 300;

    /// <summary>Drops one "\n" or "\r\n" at the end: what <c>echo</c>, editors and most helpers append.</summary>
    public static ReadOnlySpan<byte> TrimOneTrailingNewline(ReadOnlySpan<byte> text)
    {
        if (text.EndsWith("\r\n"u8))
        {
            return text[..^2];
        }

        return text.EndsWith("\n"u8) ? text[..^1] : text;
    }

    /// <summary>
    /// Why these bytes cannot be used as a credential, or null. A credential ends up in a header, a
    /// path or a query string, where a line break would let it smuggle in a header of its own.
    /// </summary>
    public static string? ProblemWithCredential(ReadOnlySpan<byte> secret)
    {
        if (secret.Length == 0)
        {
            return "is empty";
        }

        if (secret.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || secret.Contains((byte)0x7F))
        {
            return "contains control characters (more than one line, or a line break in the middle?): a credential must be a single line";
        }

        if (!Utf8.IsValid(secret))
        {
            return "is not valid UTF-8 text";
        }

        return secret.Trim(" "u8).Length == 0 ? "is blank" : null;
    }

    /// <summary>
    /// A one-line, length-limited rendering of (already scrubbed) helper output for an error message.
    /// </summary>
    public static string Excerpt(ReadOnlySpan<byte> scrubbed, bool truncated)
    {
        var text = Encoding.UTF8.GetString(scrubbed);
        var builder = new StringBuilder(Math.Min(text.Length, ExcerptChars + 8));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length >= ExcerptChars)
            {
                truncated = true;
                break;
            }
        }

        if (builder.Length == 0)
        {
            return "(no error output)";
        }

        return truncated ? builder.Append(" ...").ToString() : builder.ToString();
    }
}
