using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy;

/// <summary>
/// The per-session secret a client proves it holds: 256 random bits as lower-case hex (or a fixed
/// value given by the caller). Every comparison is constant-time in the token's content.
/// </summary>
internal sealed class SessionToken
{
    private readonly byte[] _bytes;

    private SessionToken(string value)
    {
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static SessionToken Generate() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    public static SessionToken Fixed(string value) => new(value);

    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length > 1024)
            return false;
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(candidate.Length)];
        var length = Encoding.UTF8.GetBytes(candidate, buffer);
        return CryptographicOperations.FixedTimeEquals(buffer[..length], _bytes);
    }

    /// <summary>Accepts <c>Basic base64(user:token)</c> (any user name) or <c>Bearer token</c>.</summary>
    public bool MatchesProxyAuthorization(string? header)
    {
        if (string.IsNullOrEmpty(header))
            return false;
        var value = header.AsSpan().Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Matches(value[7..].Trim());
        if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return TryDecodeBasicPassword(value[6..].Trim(), out var password) && Matches(password);
        return false;
    }

    /// <summary>The password half of a Basic credential.</summary>
    public static bool TryDecodeBasicPassword(ReadOnlySpan<char> base64, out string password)
    {
        password = "";
        if (base64.Length > 2048)
            return false;
        Span<byte> decoded = stackalloc byte[base64.Length];
        if (!Convert.TryFromBase64Chars(base64, decoded, out var written))
            return false;
        var text = Encoding.UTF8.GetString(decoded[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return false;
        password = text[(colon + 1)..];
        return true;
    }
}
