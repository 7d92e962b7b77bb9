using System.Globalization;

namespace Nono.Proxy.Filter;

/// <summary>Parses <c>host:port</c> and <c>[v6]:port</c> (CONNECT targets, proxy addresses).</summary>
internal static class Authority
{
    public static bool TryParse(string authority, out string host, out int port)
    {
        host = "";
        port = 0;
        if (authority.Contains('@', StringComparison.Ordinal) || authority.Contains('/', StringComparison.Ordinal))
            return false;

        int colon;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= authority.Length || authority[close + 1] != ':')
                return false;
            host = authority[1..close];
            colon = close + 1;
        }
        else
        {
            colon = authority.LastIndexOf(':');
            if (colon <= 0 || authority.IndexOf(':', StringComparison.Ordinal) != colon)
                return false;
            host = authority[..colon];
        }

        var portText = authority[(colon + 1)..];
        return portText.Length is > 0 and <= 5
            && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535
            && host.Length > 0;
    }
}
