using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy.Credentials;

/// <summary>
/// Removes secret values from text that is about to be shown to the user (a helper's error output, a
/// label). Works on UTF-8 bytes so that the secret is never turned into a string to search for it.
/// </summary>
internal static class SecretScrubber
{
    public const string Placeholder = "[redacted]";

    private static readonly byte[] PlaceholderBytes = Encoding.UTF8.GetBytes(Placeholder);

    /// <summary>
    /// Returns <paramref name="text"/> with every occurrence of each needle replaced. When the text was cut
    /// short (<paramref name="truncated"/>), a tail that could be the start of a needle is dropped too.
    /// </summary>
    public static byte[] Scrub(ReadOnlySpan<byte> text, IReadOnlyList<byte[]> needles, bool truncated = false)
    {
        // Every intermediate copy that may still hold a needle is zeroed once it is replaced.
        byte[]? current = null;
        foreach (var needle in needles)
        {
            if (needle.Length == 0)
            {
                continue;
            }

            Replace(ref current, ReplaceAll(current ?? text, needle));
            if (truncated)
            {
                var view = current ?? text;
                var cut = PartialTailLength(view, needle);
                if (cut > 0)
                {
                    Replace(ref current, view[..^cut].ToArray());
                }
            }
        }

        return current ?? text.ToArray();
    }

    /// <summary>The same for a string, e.g. a label built from a command line that happens to contain the secret.</summary>
    public static string Scrub(string text, ReadOnlySpan<byte> secret)
    {
        var replaced = secret.Length == 0 ? null : ReplaceAll(Encoding.UTF8.GetBytes(text), secret);
        return replaced is null ? text : Encoding.UTF8.GetString(replaced);
    }

    /// <summary>
    /// The needles to scrub from a failed command's error output, given what it printed on stdout: the whole
    /// value and each line of it (a short line is left alone: removing "ok" everywhere helps no one).
    /// </summary>
    public static List<byte[]> NeedlesFrom(ReadOnlySpan<byte> stdout)
    {
        var needles = new List<byte[]>();
        var whole = TextBytes.TrimOneTrailingNewline(stdout);
        if (whole.Length > 0)
        {
            needles.Add(whole.ToArray());
        }

        foreach (var range in whole.Split((byte)'\n'))
        {
            var line = whole[range].TrimEnd((byte)'\r');
            if (line.Length >= 4 && line.Length != whole.Length)
            {
                needles.Add(line.ToArray());
            }
        }

        // Longest first, so a line inside the whole value does not break up the whole value's match.
        needles.Sort((a, b) => b.Length.CompareTo(a.Length));
        return needles;
    }

    /// <summary>A new array with every occurrence replaced, or null when there is none.</summary>
    private static byte[]? ReplaceAll(ReadOnlySpan<byte> text, ReadOnlySpan<byte> needle)
    {
        var count = text.Count(needle);
        if (count == 0)
        {
            return null;
        }

        // Sized exactly, so no growing buffer leaves partial copies behind.
        var output = new byte[text.Length + (count * (PlaceholderBytes.Length - needle.Length))];
        var written = 0;
        var rest = text;
        int at;
        while ((at = rest.IndexOf(needle)) >= 0)
        {
            rest[..at].CopyTo(output.AsSpan(written));
            written += at;
            PlaceholderBytes.CopyTo(output.AsSpan(written));
            written += PlaceholderBytes.Length;
            rest = rest[(at + needle.Length)..];
        }

        rest.CopyTo(output.AsSpan(written));
        return output;
    }

    private static void Replace(ref byte[]? current, byte[]? replacement)
    {
        if (replacement is null)
        {
            return;
        }

        if (current is not null)
        {
            CryptographicOperations.ZeroMemory(current);
        }

        current = replacement;
    }

    private static int PartialTailLength(ReadOnlySpan<byte> text, ReadOnlySpan<byte> needle)
    {
        for (var length = Math.Min(needle.Length - 1, text.Length); length > 0; length--)
        {
            if (text[^length..].SequenceEqual(needle[..length]))
            {
                return length;
            }
        }

        return 0;
    }
}
