using System.Buffers.Binary;
using System.Text;
using Nono.Proxy.Http2;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.Http2;

/// <summary>
/// An HTTP/2 <c>:path</c> is held to the byte rule of an HTTP/1.1 request target (visible ASCII,
/// 0x21-0x7E): anything else is refused before a route sees it, so the upstream request line is exactly
/// the path that was checked and never carries bytes of earlier requests on a pooled connection.
/// </summary>
public sealed class Http2PathTests
{
    private const string OriginHost = Infrastructure.OriginServer.Host;

    private static (string, string)[] AuthorizedGet(InterceptSession s, string path) =>
        [.. H2RawClient.Get($"{OriginHost}:{s.Origin.Port}", path), ("authorization", "Bearer " + s.Proxy.Token)];

    private static async Task<string> ReadAllAsync(H2RawClient c, int streamId)
    {
        var text = new StringBuilder();
        while (await c.ReadFrameAsync() is { } frame)
        {
            if (frame.Header.StreamId != streamId)
                continue;
            if (frame.Header.Type == FrameType.RstStream)
                return text.Append("RST ").Append((Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(frame.Payload)).ToString();
            if (frame.Header.Type == FrameType.Headers)
                text.Append(string.Join("\n", H2RawClient.Fields(frame.Payload).Select(f => f.Key + ": " + f.Value))).Append('\n');
            if (frame.Header.Type == FrameType.Data)
                text.Append(Encoding.Latin1.GetString(frame.Payload));
            if (frame.Header.Has(FrameFlags.EndStream))
                return text.ToString();
        }

        return text.Append("closed").ToString();
    }

    public static TheoryData<string> BadPaths => new()
    {
        "/v1/" + new string('\u00e9', 300),         // Latin-1 bytes
        "/v1/\u00ff\u00fe\r\n",                     // high bytes ahead of CR LF (refused anyway)
        "/v1/x /v2/admin",                          // a space splits the request line
        "/v1/x\t/v2/admin",
        "/v1/x\v/v2/admin",
        "/v1/x\u007f",
        "/v1/x\u0001",
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task Path_outside_visible_ascii_is_reset_and_never_reaches_the_origin(string path)
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, OriginHost, s.Origin.Port);

        // A first request fills the pooled upstream connection's buffers with the real key.
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block([.. AuthorizedGet(s, "/v1/first"), ("x-filler", new string('k', 400))]));
        var first = await ReadAllAsync(c, 1);
        Assert.Contains("origin saw: GET /v1/first", first, StringComparison.Ordinal);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 3, H2RawClient.Block(AuthorizedGet(s, path)));
        var second = await ReadAllAsync(c, 3);

        // The echo of a request line must never carry the key (the origin echoes its own headers, so
        // only what it saw as the target is looked at).
        Assert.DoesNotContain(s.Origin.Requests, r => r.Target.Contains(s.Secret, StringComparison.Ordinal) || r.Target.Contains("admin", StringComparison.Ordinal));
        Assert.Single(s.Origin.Requests);
        Assert.Equal("RST ProtocolError", second);
    }

    [Fact]
    public async Task Visible_ascii_path_with_percent_escapes_still_reaches_the_origin()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, OriginHost, s.Origin.Port);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(AuthorizedGet(s, "/v1/caf%C3%A9?q=~!$&'()*+,;=:@")));
        var response = await ReadAllAsync(c, 1);

        Assert.Contains("origin saw: GET /v1/caf%C3%A9?q=~!$&'()*+,;=:@", response, StringComparison.Ordinal);
    }
}
