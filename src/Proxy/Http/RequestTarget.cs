namespace Nono.Proxy.Http;

/// <summary>Pieces of a request target as the client sent it, byte for byte.</summary>
internal static class RequestTarget
{
    /// <summary>Most rounds of percent-decoding looked through; a text still changing after that is refused.</summary>
    public const int MaxDecodeRounds = 8;

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
