using System.Buffers.Binary;
using System.Text;
using Nono.Proxy.Http2;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.Http2;

/// <summary>
/// The HTTP/2 front end driven frame by frame through a real intercepted tunnel: requests, flow control,
/// and the limits and error handling that keep a misbehaving client from hurting the proxy.
/// </summary>
public sealed class Http2ProtocolTests
{
    private static byte[] U32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    private static (string, string)[] AuthorizedGet(InterceptSession s, string path) =>
        [.. H2RawClient.Get($"{OriginServerHost}:{s.Origin.Port}", path), ("authorization", "Bearer " + s.Proxy.Token)];

    private const string OriginServerHost = Infrastructure.OriginServer.Host;

    private static async Task<H2RawClient> OpenAsync(InterceptSession s) =>
        await H2RawClient.ConnectAsync(s.Proxy, OriginServerHost, s.Origin.Port);

    private static async Task<(Dictionary<string, string> Fields, string Body)> ResponseAsync(H2RawClient c, int streamId)
    {
        var headers = await c.ReadUntilAsync(FrameType.Headers, streamId);
        var fields = H2RawClient.Fields(headers.Payload);
        var body = new StringBuilder();
        if (!headers.Header.Has(FrameFlags.EndStream))
        {
            while (true)
            {
                var data = await c.ReadUntilAsync(FrameType.Data, streamId);
                body.Append(Encoding.UTF8.GetString(data.Payload));
                if (data.Header.Has(FrameFlags.EndStream))
                    break;
            }
        }

        return (fields, body.ToString());
    }

    [Fact]
    public async Task Request_on_a_stream_gets_the_origin_response_with_the_real_credential_injected()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        Assert.Equal("h2", c.NegotiatedProtocol);
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(AuthorizedGet(s, "/v1/quiet")));
        var (fields, body) = await ResponseAsync(c, 1);

        Assert.Equal("200", fields[":status"]);
        Assert.Equal("ok", body);
        Assert.Equal("Bearer " + s.Secret, Assert.Single(s.Origin.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Data_frame_on_stream_zero_gets_goaway_protocol_error_and_the_proxy_keeps_serving()
    {
        await using var s = await InterceptSession.StartAsync();
        await using (var bad = await OpenAsync(s))
        {
            await bad.SendAsync(FrameType.Data, 0, 0, [1, 2, 3]);
            Assert.Equal(Http2ErrorCode.ProtocolError, await bad.ReadUntilGoAwayAsync());
        }

        await using var good = await OpenAsync(s);
        await good.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(AuthorizedGet(s, "/v1/quiet")));
        Assert.Equal("ok", (await ResponseAsync(good, 1)).Body);
        Assert.Contains(s.Proxy.DrainAuditEvents(), e => e.Reason?.StartsWith("HTTP/2 connection error ProtocolError", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("80")] // index 0
    [InlineData("ff ff ff ff ff 0f")] // index far past both tables
    [InlineData("40 0a 63 75")] // literal cut short
    public async Task Undecodable_header_block_gets_goaway_compression_error(string hex)
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

        Assert.Equal(Http2ErrorCode.CompressionError, await c.ReadUntilGoAwayAsync());
    }

    [Fact]
    public async Task Frame_larger_than_the_advertised_maximum_gets_goaway_frame_size_error()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        await c.SendAsync(FrameType.Data, 0, 1, new byte[20_000]);

        Assert.Equal(Http2ErrorCode.FrameSizeError, await c.ReadUntilGoAwayAsync());
    }

    [Fact]
    public async Task Client_that_does_not_send_the_preface_gets_goaway()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, OriginServerHost, s.Origin.Port, sendPreface: false);

        await c.SendRawAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

        Assert.Equal(Http2ErrorCode.ProtocolError, await c.ReadUntilGoAwayAsync());
    }

    [Fact]
    public async Task Rapid_reset_gets_goaway_enhance_your_calm()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        var frames = new List<byte>();
        for (var id = 1; id < 2 * 400; id += 2)
        {
            var block = H2RawClient.Block(H2RawClient.Get($"{OriginServerHost}:{s.Origin.Port}", "/v1/quiet"));
            var headers = new byte[9 + block.Length];
            new FrameHeader(block.Length, FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, id).Write(headers);
            block.CopyTo(headers, 9);
            var rst = new byte[13];
            new FrameHeader(4, FrameType.RstStream, 0, id).Write(rst);
            U32((uint)Http2ErrorCode.Cancel).CopyTo(rst, 9);
            frames.AddRange(headers);
            frames.AddRange(rst);
        }

        await c.SendRawAsync([.. frames]);

        Assert.Equal(Http2ErrorCode.EnhanceYourCalm, await c.ReadUntilGoAwayAsync());
    }

    [Fact]
    public async Task Continuation_flood_gets_goaway_enhance_your_calm()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        await c.SendAsync(FrameType.Headers, 0, 1, H2RawClient.Block((":method", "GET")));
        for (var i = 0; i < 40; i++)
            await c.SendAsync(FrameType.Continuation, 0, 1, []);

        Assert.Equal(Http2ErrorCode.EnhanceYourCalm, await c.ReadUntilGoAwayAsync());
    }

    [Fact]
    public async Task Oversized_header_list_is_answered_431_and_the_connection_goes_on()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        var block = H2RawClient.Block([.. AuthorizedGet(s, "/v1/quiet"), ("x-big", new string('b', 40_000))]);
        var pieces = block.Chunk(16_000).ToArray();
        for (var i = 0; i < pieces.Length; i++)
        {
            var last = i == pieces.Length - 1;
            var flags = (byte)((last ? FrameFlags.EndHeaders : 0) | (i == 0 ? FrameFlags.EndStream : 0));
            await c.SendAsync(i == 0 ? FrameType.Headers : FrameType.Continuation, flags, 1, pieces[i]);
        }

        Assert.Equal("431", (await ResponseAsync(c, 1)).Fields[":status"]);
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 3, H2RawClient.Block(AuthorizedGet(s, "/v1/quiet")));
        Assert.Equal("ok", (await ResponseAsync(c, 3)).Body);
        Assert.Single(s.Origin.Requests);
    }

    [Theory]
    [InlineData("X-Upper", "1")]
    [InlineData("connection", "keep-alive")]
    [InlineData("transfer-encoding", "chunked")]
    [InlineData("te", "gzip")]
    [InlineData("x-bad", "a\r\nb")]
    public async Task Malformed_request_fields_reset_the_stream_with_protocol_error_and_the_connection_goes_on(string name, string value)
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block([.. AuthorizedGet(s, "/v1/quiet"), (name, value)]));
        var rst = await c.ReadUntilAsync(FrameType.RstStream, 1);
        Assert.Equal((uint)Http2ErrorCode.ProtocolError, BinaryPrimitives.ReadUInt32BigEndian(rst.Payload));

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 3, H2RawClient.Block(AuthorizedGet(s, "/v1/quiet")));
        Assert.Equal("ok", (await ResponseAsync(c, 3)).Body);
        Assert.Single(s.Origin.Requests);
    }

    [Theory]
    [InlineData("other.test:443", "421")]
    [InlineData(null, "421")]
    public async Task Request_for_another_origin_on_the_tunnel_is_misdirected(string? authority, string status)
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        var fields = AuthorizedGet(s, "/v1/quiet").Select(f => f.Item1 == ":authority" ? (f.Item1, authority ?? $"{OriginServerHost}:{s.Origin.Port + 1}") : f).ToArray();
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(fields));

        Assert.Equal(status, (await ResponseAsync(c, 1)).Fields[":status"]);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Connect_method_inside_the_tunnel_is_refused()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block((":method", "CONNECT"), (":authority", "elsewhere.test:443")));

        Assert.Equal("405", (await ResponseAsync(c, 1)).Fields[":status"]);
    }

    [Fact]
    public async Task Response_data_stays_within_the_client_stream_window_until_it_grows()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, OriginServerHost, s.Origin.Port, sendPreface: false);
        await c.SendRawAsync(FrameHeader.Preface.ToArray());
        await c.SendAsync(FrameType.Settings, 0, 0, [0, (byte)SettingId.InitialWindowSize, .. U32(1000)]);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(AuthorizedGet(s, "/bytes/5000")));
        await c.ReadUntilAsync(FrameType.Headers, 1);
        var received = 0;
        while (received < 1000)
            received += (await c.ReadUntilAsync(FrameType.Data, 1)).Payload.Length;
        Assert.Equal(1000, received);

        // A PING round trip proves the proxy has had its chance to send more and did not.
        await c.SendAsync(FrameType.Ping, 0, 0, new byte[8]);
        while (await c.ReadFrameAsync() is { } frame && frame.Header.Type != FrameType.Ping)
            Assert.NotEqual(FrameType.Data, frame.Header.Type);

        await c.SendAsync(FrameType.WindowUpdate, 0, 1, U32(4000));
        var end = false;
        while (!end)
        {
            var data = await c.ReadUntilAsync(FrameType.Data, 1);
            received += data.Payload.Length;
            end = data.Header.Has(FrameFlags.EndStream);
        }

        Assert.Equal(5000, received);
    }

    [Fact]
    public async Task Streams_beyond_the_concurrency_limit_are_refused()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await OpenAsync(s);

        var frames = new List<byte>();
        for (var id = 1; id <= 2 * 105; id += 2)
        {
            var block = H2RawClient.Block(AuthorizedGet(s, "/slow"));
            var headers = new byte[9 + block.Length];
            new FrameHeader(block.Length, FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, id).Write(headers);
            block.CopyTo(headers, 9);
            frames.AddRange(headers);
        }

        await c.SendRawAsync([.. frames]);
        var rst = await c.ReadUntilAsync(FrameType.RstStream, 201);

        Assert.Equal((uint)Http2ErrorCode.RefusedStream, BinaryPrimitives.ReadUInt32BigEndian(rst.Payload));
    }
}
