using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy.Http;

/// <summary>
/// The WebSocket opening handshake (RFC 6455 section 4) as a proxy sees it: whether a request asks for
/// it, and whether an upstream's <c>101 Switching Protocols</c> answer completes it. Anything else in a
/// 101 is refused, so a client never gets a raw byte stream it did not ask for.
/// </summary>
internal static class WebSocketUpgrade
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A GET over HTTP/1.1 with <c>Upgrade: websocket</c> and <c>Connection: upgrade</c>.</summary>
    public static bool IsRequested(RequestHead head) =>
        head.Method == "GET" && head.MinorVersion == 1
        && HasToken(head.Headers, "Upgrade", "websocket") && HasToken(head.Headers, "Connection", "upgrade");

    /// <summary>Null when <paramref name="headers"/> of a 101 complete the handshake for <paramref name="request"/>; else what is wrong.</summary>
    public static string? CheckSwitch(RequestHead request, IEnumerable<HeaderField> headers)
    {
        if (!HasToken(headers, "Upgrade", "websocket"))
            return "upstream answered the WebSocket upgrade with 101 but without Upgrade: websocket";
        if (!HasToken(headers, "Connection", "upgrade"))
            return "upstream answered the WebSocket upgrade with 101 but without Connection: upgrade";
        var key = request.Get("Sec-WebSocket-Key");
        string? accept = null;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))
                accept = value.Trim();
        }

        if (key is null || accept is null || !accept.Equals(ExpectedAccept(key.Trim()), StringComparison.Ordinal))
            return "upstream answered the WebSocket upgrade with 101 but a missing or wrong Sec-WebSocket-Accept";
        return null;
    }

    public static string ExpectedAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    private static bool HasToken(IEnumerable<HeaderField> headers, string field, string token)
    {
        foreach (var (name, value) in headers)
        {
            if (!name.Equals(field, StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }

        return false;
    }
}
