using Nono.Proxy.Http2;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.Http2;

/// <summary>RFC 9113 section 5.1.1: a request on a stream id that is not higher than every earlier one ends the connection.</summary>
public sealed class Http2StreamIdTests
{
    private const string OriginHost = Infrastructure.OriginServer.Host;

    private static byte[] Request(InterceptSession s) =>
        H2RawClient.Block([.. H2RawClient.Get($"{OriginHost}:{s.Origin.Port}", "/v1/quiet"), ("authorization", "Bearer " + s.Proxy.Token)]);

    [Theory]
    [InlineData(1, 1)] // the same id again, after its stream is over
    [InlineData(5, 3)] // a lower id than one already used
    public async Task Request_on_a_used_or_lower_stream_id_gets_goaway_protocol_error(int first, int second)
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, OriginHost, s.Origin.Port);

        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, first, Request(s));
        await c.ReadUntilAsync(FrameType.Data, first);
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, second, Request(s));

        Assert.Equal(Http2ErrorCode.ProtocolError, await c.ReadUntilGoAwayAsync());
        Assert.Single(s.Origin.Requests);
    }
}
