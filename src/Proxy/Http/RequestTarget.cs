namespace Nono.Proxy.Http;

/// <summary>Pieces of a request target as the client sent it, byte for byte.</summary>
internal static class RequestTarget
{
    /// <summary>Most rounds of percent-decoding looked through; a text still changing after that is refused.</summary>
    public const int MaxDecodeRounds = 8;

    /// <summary>
    /// The one byte rule for a request target, whichever front end it came through: visible ASCII
    /// (0x21-0x7E) only. Anything else (space, tab, other controls, DEL, bytes past ASCII) could split
    /// or change the upstream request line, so the path a route checked would not be the one an origin
    /// acts on; RFC 9112 and RFC 3986 leave such bytes to be percent-encoded by the client.
    /// </summary>
    public static bool IsVisibleAscii(ReadOnlySpan<byte> target) => !target.IsEmpty && !target.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E);

    /// <inheritdoc cref="IsVisibleAscii(ReadOnlySpan{byte})"/>
    public static bool IsVisibleAscii(ReadOnlySpan<char> target) => !target.IsEmpty && !target.ContainsAnyExceptInRange((char)0x21, (char)0x7E);

    /// <summary>
    /// The path and query of an absolute-form target (<c>http://host:port/path?query</c>): "/" when it
    /// has none, "/?query" when only a query follows the authority. A backslash ends the authority as
    /// it does for <see cref="Uri"/>, so a path that starts there reaches the path checks (which refuse it).
    /// </summary>
    public static string OriginForm(string absoluteTarget)
    {
        var authorityStart = absoluteTarget.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = absoluteTarget.AsSpan(authorityStart).IndexOfAny('/', '?', '\\');
        if (end < 0)
            return "/";
        var rest = absoluteTarget[(authorityStart + end)..];
        return rest.StartsWith('?') ? "/" + rest : rest;
    }

    /// <summary>
    /// <paramref name="text"/> and each successive percent-decoding of it, until decoding changes
    /// nothing; null as the last element when it still changed after <see cref="MaxDecodeRounds"/>
    /// (nobody encodes a URL that often for a good reason).
    /// </summary>
    public static IEnumerable<string?> DecodingLayers(string text)
    {
        for (var round = 0; round < MaxDecodeRounds; round++)
        {
            yield return text;
            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
                yield break;
            text = decoded;
        }

        yield return null;
    }
}
