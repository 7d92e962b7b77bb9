using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.Bench;

/// <summary>How the load generator reaches its target: directly, or through an HTTP proxy.</summary>
internal sealed record Via(string? Host, int Port, string? Authorization)
{
    public bool Direct => Host is null;

    public static Via Parse(string text)
    {
        if (text == "direct")
            return new Via(null, 0, null);
        var uri = new Uri(text);
        string? auth = null;
        if (uri.UserInfo.Length > 0)
            auth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo)));
        return new Via(uri.Host, uri.Port, auth);
    }

    public static async Task<Socket> ConnectAsync(string host, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(host), port);
        return socket;
    }

    /// <summary>A socket connected to host:port, through a CONNECT tunnel when proxied.</summary>
    public async Task<Socket> TunnelAsync(string host, int port)
    {
        if (Direct)
            return await ConnectAsync(host, port);
        var socket = await ConnectAsync(Host!, Port);
        var request = $"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n" + (Authorization is null ? "" : $"Proxy-Authorization: {Authorization}\r\n") + "\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var filled = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled));
            if (n == 0)
                throw new IOException("proxy closed during CONNECT");
            filled += n;
            var text = Encoding.ASCII.GetString(buffer, 0, filled);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
                continue;
            if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && !text.StartsWith("HTTP/1.0 200", StringComparison.Ordinal))
                throw new IOException("CONNECT refused: " + text[..end]);
            // Bytes after the reply are tunnelled data (the blast server talks first); the bulk run discards its warm-up anyway.
            return socket;
        }
    }
}
