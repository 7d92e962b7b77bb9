using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy.Tests.Infrastructure;

/// <summary>
/// The origin's WebSocket endpoints: <c>/ws</c> completes the handshake (RFC 6455) and answers each
/// client frame with an unmasked text frame "echo: payload"; <c>/ws-bad-accept</c> and
/// <c>/ws-no-upgrade</c> answer 101 with a wrong accept key or without the Upgrade field.
/// </summary>
internal static class WebSocketEcho
{
    public static string Accept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    public static async Task<bool> ServeAsync(Stream stream, string path, string key)
    {
        var head = path switch
        {
            "/ws-bad-accept" => $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {Accept("other")}\r\n\r\n",
            "/ws-no-upgrade" => $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {Accept(key)}\r\n\r\n",
            _ => $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {Accept(key)}\r\n\r\n",
        };
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head));
        await stream.FlushAsync();
        while (await ReadFrameAsync(stream) is { } frame)
        {
            if (frame.Opcode == 8)
            {
                await stream.WriteAsync(new byte[] { 0x88, 0 });
                return false;
            }

            var reply = Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(frame.Payload));
            var header = reply.Length < 126 ? new byte[] { 0x81, (byte)reply.Length } : [0x81, 126, (byte)(reply.Length >> 8), (byte)reply.Length];
            await stream.WriteAsync(header);
            await stream.WriteAsync(reply);
            await stream.FlushAsync();
        }

        return false;
    }

    private static async Task<(int Opcode, byte[] Payload)?> ReadFrameAsync(Stream stream)
    {
        var h = new byte[2];
        if (!await FillAsync(stream, h))
            return null;
        long length = h[1] & 0x7f;
        if (length == 126)
        {
            var ext = new byte[2];
            if (!await FillAsync(stream, ext))
                return null;
            length = (ext[0] << 8) | ext[1];
        }
        else if (length == 127)
        {
            return null;
        }

        var mask = new byte[4];
        if ((h[1] & 0x80) != 0 && !await FillAsync(stream, mask))
            return null;
        var payload = new byte[length];
        if (!await FillAsync(stream, payload))
            return null;
        for (var i = 0; i < payload.Length; i++)
            payload[i] ^= mask[i % 4];
        return (h[0] & 0x0f, payload);
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer)
    {
        for (var at = 0; at < buffer.Length;)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(at));
            if (n == 0)
                return false;
            at += n;
        }

        return true;
    }
}
