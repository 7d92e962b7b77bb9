using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Http2;
using Nono.Proxy.Tests.Http2;
using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>A request body that stops arriving ends after the body progress timeout, on every front end.</summary>
public sealed class StalledBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>True when the proxy closed the connection within <paramref name="wait"/>; false when it was still open.</summary>
    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(wait);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    [Theory]
    [InlineData("Content-Length: 100\r\n", "0123456789")]
    [InlineData("Transfer-Encoding: chunked\r\n", "a\r\n0123456789\r\n")]
    public async Task Forwarded_request_whose_body_stalls_is_ended(string framing, string part)
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { BodyProgressTimeout = TimeSpan.FromSeconds(1) }));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port, Ct);

        var head = $"POST {origin.Url}/upload HTTP/1.1\r\nHost: {OriginServer.Host}:{origin.Port}\r\nProxy-Authorization: Bearer {proxy.Token}\r\n{framing}\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head + part), Ct);

        Assert.True(await ClosedWithinAsync(socket, TimeSpan.FromSeconds(20)), "the proxy kept a stalled request body open");
    }

    [Fact]
    public async Task Intercepted_http2_stream_whose_body_stalls_is_reset()
    {
        await using var s = await InterceptSession.StartAsync(c => c with { BodyProgressTimeout = TimeSpan.FromSeconds(1) });
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, OriginServer.Host, s.Origin.Port);

        var fields = new (string, string)[]
        {
            (":method", "POST"), (":scheme", "https"), (":authority", $"{OriginServer.Host}:{s.Origin.Port}"), (":path", "/v1/upload"),
            ("authorization", "Bearer " + s.Proxy.Token), ("content-length", "100"),
        };
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders, 1, H2RawClient.Block(fields));
        await c.SendAsync(FrameType.Data, 0, 1, Encoding.ASCII.GetBytes("0123456789"));

        var rst = await c.ReadUntilAsync(FrameType.RstStream, 1);
        Assert.NotEqual((uint)Http2ErrorCode.NoError, BinaryPrimitives.ReadUInt32BigEndian(rst.Payload));
    }
}
