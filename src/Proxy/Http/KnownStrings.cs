using System.Text;

namespace Nono.Proxy.Http;

/// <summary>Interned methods and header names, so the hot path does not allocate a string for each.</summary>
internal static class KnownStrings
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "CONNECT", "OPTIONS", "PATCH", "TRACE"];

    private static readonly string[] HeaderNames =
    [
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Content-Length",
        "Content-Type", "Transfer-Encoding", "Proxy-Authorization", "Proxy-Connection", "Authorization",
        "Keep-Alive", "Expect", "Cookie", "Cache-Control", "Upgrade", "TE", "Trailer", "Origin", "Referer",
        "Content-Encoding", "If-None-Match", "If-Modified-Since", "Range", "Pragma", "X-Api-Key",
    ];

    public static string Method(ReadOnlySpan<byte> span) => Lookup(Methods, span, ignoreCase: false);

    public static string HeaderName(ReadOnlySpan<byte> span) => Lookup(HeaderNames, span, ignoreCase: true);

    private static string Lookup(string[] table, ReadOnlySpan<byte> span, bool ignoreCase)
    {
        foreach (var candidate in table)
        {
            if (candidate.Length == span.Length && Matches(candidate, span, ignoreCase))
                return candidate;
        }

        return Encoding.ASCII.GetString(span);
    }

    private static bool Matches(string candidate, ReadOnlySpan<byte> span, bool ignoreCase)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var a = (char)span[i];
            var b = candidate[i];
            if (a == b)
                continue;
            if (!ignoreCase || char.ToLowerInvariant(a) != char.ToLowerInvariant(b))
                return false;
        }

        return true;
    }
}
