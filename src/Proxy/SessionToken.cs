using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy;

/// <summary>
/// The per-session secret a client proves it holds: 256 random bits as lower-case hex (or a fixed
/// value given by the caller). Every comparison is constant-time in the token's content.
/// </summary>
internal sealed class SessionToken
{
    /// <summary>The user name clients present with the token in Basic proxy credentials (<c>nono:token</c>).</summary>
    public const string ProxyUser = "nono";

    private static readonly byte[] ProxyUserBytes = Encoding.UTF8.GetBytes(ProxyUser);
    private readonly byte[] _bytes;

    private SessionToken(string value)
    {
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static SessionToken Generate() => new(Convert.ToHexStringLower(SecureRandom.GetBytes(32)));

    public static SessionToken Fixed(string value) => new(value);

    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length > 1024)
            return false;
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(candidate.Length)];
        var length = Encoding.UTF8.GetBytes(candidate, buffer);
        return CryptographicOperations.FixedTimeEquals(buffer[..length], _bytes);
    }

    /// <summary>
    /// True when the token appears in <paramref name="text"/> (a request target): as is, in another letter
    /// case, or behind any depth of percent-encoding. Such a request would carry the token past the proxy.
    /// </summary>
    public bool AppearsIn(string text)
    {
        // Most values carry no percent-escape at all: then the text is its only decoding layer.
        if (!text.Contains('%', StringComparison.Ordinal))
            return text.Contains(Value, StringComparison.OrdinalIgnoreCase);
        foreach (var layer in Http.RequestTarget.DecodingLayers(text))
        {
            if (layer is null || layer.Contains(Value, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    /// <summary>
    /// True when a header value carries the token: as is, in another letter case, percent-encoded, or
    /// base64-encoded (standard or URL-safe alphabet, alone or inside a longer value such as a Basic
    /// credential). Such a header is dropped before a request leaves the proxy.
    /// </summary>
    public bool AppearsInHeader(string value) => AppearsIn(value) || AppearsInBase64(value);

    private bool AppearsInBase64(string value)
    {
        // Base64 of the token is at least this long; shorter runs cannot hold it.
        var shortest = _bytes.Length * 4 / 3;
        var start = -1;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && IsBase64Char(value[i]))
            {
                if (start < 0)
                    start = i;
                continue;
            }

            if (start >= 0 && i - start >= shortest && RunCarriesToken(value.AsSpan(start, i - start)))
                return true;
            start = -1;
        }

        return false;
    }

    /// <summary>Decodes <paramref name="run"/> from each of the four alignments an encoding could start at.</summary>
    private bool RunCarriesToken(ReadOnlySpan<char> run)
    {
        Span<char> text = run.Length <= 4096 ? stackalloc char[run.Length + 3] : new char[run.Length + 3];
        Span<byte> decoded = run.Length <= 4096 ? stackalloc byte[run.Length] : new byte[run.Length];
        Span<char> latin1 = run.Length <= 4096 ? stackalloc char[run.Length] : new char[run.Length];
        for (var offset = 0; offset < 4 && run.Length - offset >= 4; offset++)
        {
            var length = 0;
            foreach (var c in run[offset..])
            {
                if (c != '=')
                    text[length++] = c switch { '-' => '+', '_' => '/', _ => c };
            }

            length -= length % 4 == 1 ? 1 : 0;
            while (length % 4 != 0)
                text[length++] = '=';
            // Latin-1 maps each byte to one char, so the decoded text needs no string of its own.
            if (Convert.TryFromBase64Chars(text[..length], decoded, out var written)
                && latin1[..Encoding.Latin1.GetChars(decoded[..written], latin1)].Contains(Value, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    private static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_' or '=';

    /// <summary>
    /// Accepts <c>Basic base64(nono:token)</c> or <c>Bearer token</c>. Only the documented user name is
    /// accepted, so a credential meant for some other proxy or service never counts by its password alone.
    /// </summary>
    public bool MatchesProxyAuthorization(string? header)
    {
        if (string.IsNullOrEmpty(header))
            return false;
        var value = header.AsSpan().Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Matches(value[7..].Trim());
        if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(value[6..].Trim(), out var user, out var password))
                return false;
            return MatchesUserAndPassword(Encoding.UTF8.GetBytes(user), password);
        }

        return false;
    }

    /// <summary>
    /// A user name and password pair (HTTP Basic or SOCKS5): the user name must be <see cref="ProxyUser"/>
    /// and the password the token. Both are compared, always, so the time taken does not tell which half was wrong.
    /// </summary>
    public bool MatchesUserAndPassword(ReadOnlySpan<byte> user, ReadOnlySpan<char> password)
    {
        var userOk = CryptographicOperations.FixedTimeEquals(user, ProxyUserBytes);
        return Matches(password) & userOk;
    }

    /// <summary>The password half of a Basic credential.</summary>
    public static bool TryDecodeBasicPassword(ReadOnlySpan<char> base64, out string password) => TryDecodeBasic(base64, out _, out password);

    /// <summary>The user name and password of a Basic credential.</summary>
    public static bool TryDecodeBasic(ReadOnlySpan<char> base64, out string user, out string password)
    {
        user = password = "";
        if (base64.Length > 2048)
            return false;
        Span<byte> decoded = stackalloc byte[base64.Length];
        if (!Convert.TryFromBase64Chars(base64, decoded, out var written))
            return false;
        var text = Encoding.UTF8.GetString(decoded[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return false;
        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
