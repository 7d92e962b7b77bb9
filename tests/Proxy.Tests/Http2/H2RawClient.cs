using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Http2;
using Nono.Proxy.Http2.Hpack;

namespace Nono.Proxy.Tests.Http2;

/// <summary>
/// A hand-driven HTTP/2 client for protocol tests: opens a CONNECT tunnel through the proxy, negotiates h2
/// by ALPN inside it, and sends whatever frames a test wants, well-formed or not. Every read has a timeout.
/// </summary>
internal sealed class H2RawClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly SslStream _tls;

    private H2RawClient(Socket socket, SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public string NegotiatedProtocol => _tls.NegotiatedApplicationProtocol.ToString();

    public static async Task<H2RawClient> ConnectAsync(ProxyHandle proxy, string host, int port, bool sendPreface = true)
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port, cts.Token);
        var stream = new NetworkStream(socket, ownsSocket: false);
        var auth = Convert.ToBase64String(Encoding.ASCII.GetBytes("nono:" + proxy.Token));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\nProxy-Authorization: Basic {auth}\r\n\r\n"), cts.Token);

        // Read the CONNECT answer byte by byte so nothing of the TLS stream is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cts.Token) == 0)
                throw new IOException("proxy closed during CONNECT: " + head);
            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            throw new IOException("CONNECT refused: " + head);

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],

            // These tests are about framing; trust of the session CA is covered by the intercept tests.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, cts.Token);
        var client = new H2RawClient(socket, tls);
        if (sendPreface)
        {
            await client.SendRawAsync(FrameHeader.Preface.ToArray());
            await client.SendAsync(FrameType.Settings, 0, 0, []);
        }

        return client;
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await _tls.WriteAsync(bytes);
        await _tls.FlushAsync();
    }

    public Task SendAsync(FrameType type, byte flags, int streamId, byte[] payload, int? lengthOverride = null)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(lengthOverride ?? payload.Length, type, flags, streamId).Write(frame);
        payload.CopyTo(frame, FrameHeader.Size);
        return SendRawAsync(frame);
    }

    /// <summary>A request header block (literals without indexing).</summary>
    public static byte[] Block(params (string Name, string Value)[] fields)
    {
        var block = new ArrayBufferWriter<byte>();
        foreach (var (name, value) in fields)
            HpackEncoder.WriteField(block, name, value);
        return block.WrittenSpan.ToArray();
    }

    public static (string, string)[] Get(string authority, string path) =>
        [(":method", "GET"), (":scheme", "https"), (":authority", authority), (":path", path)];

    /// <summary>Next frame, or null when the proxy closed the connection.</summary>
    public async Task<(FrameHeader Header, byte[] Payload)?> ReadFrameAsync()
    {
        using var cts = new CancellationTokenSource(ReadTimeout);
        var head = new byte[FrameHeader.Size];
        if (!await ReadExactAsync(head, cts.Token))
            return null;
        var header = FrameHeader.Read(head);
        var payload = new byte[header.Length];
        if (!await ReadExactAsync(payload, cts.Token))
            return null;
        return (header, payload);
    }

    /// <summary>Reads until GOAWAY and returns its error code; null when the connection closed without one.</summary>
    public async Task<Http2ErrorCode?> ReadUntilGoAwayAsync()
    {
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Header.Type == FrameType.GoAway)
                return (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.AsSpan(4));
        }

        return null;
    }

    /// <summary>Reads until a frame of <paramref name="type"/> on <paramref name="streamId"/>, answering nothing.</summary>
    public async Task<(FrameHeader Header, byte[] Payload)> ReadUntilAsync(FrameType type, int streamId)
    {
        while (await ReadFrameAsync() is { } frame)
        {
            if (frame.Header.Type == type && frame.Header.StreamId == streamId)
                return frame;
            if (frame.Header.Type == FrameType.GoAway)
                throw new IOException($"GOAWAY {(Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.AsSpan(4))} while waiting for {type}");
        }

        throw new IOException($"connection closed while waiting for {type} on stream {streamId}");
    }

    /// <summary>Decodes a response header block (the proxy's encoder never uses the dynamic table).</summary>
    public static Dictionary<string, string> Fields(byte[] block)
    {
        var fields = new List<Nono.Proxy.Http.HeaderField>();
        new HpackDecoder(4096, 1 << 20).Decode(block, fields);
        return fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First().Value);
    }

    private async Task<bool> ReadExactAsync(byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        try
        {
            while (filled < buffer.Length)
            {
                var n = await _tls.ReadAsync(buffer.AsMemory(filled), ct);
                if (n == 0)
                    return false;
                filled += n;
            }
        }
        catch (IOException)
        {
            return false;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _socket.Dispose();
    }
}
