using Nono.Proxy.Http2;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.Http2;

/// <summary>How HTTP/2 connections end: idle, proxy shutdown with a request in flight, client GOAWAY.</summary>
public sealed class Http2LifecycleTests
{
    private static (string, string)[] AuthorizedGet(InterceptSession s, string path) =>
        [.. H2RawClient.Get($"{Infrastructure.OriginServer.Host}:{s.Origin.Port}", path), ("authorization", "Bearer " + s.Proxy.Token)];

    [Fact]
    public async Task Connection_without_streams_gets_goaway_no_error_after_the_idle_timeout()
    {
        await using var s = await InterceptSession.StartAsync(c => c with { IdleTimeout = TimeSpan.FromSeconds(1) });
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, Infrastructure.OriginServer.Host, s.Origin.Port);

        Assert.Equal(Http2ErrorCode.NoError, await c.ReadUntilGoAwayAsync());
        Assert.Null(await c.ReadFrameAsync());
    }

    [Fact]
    public async Task Proxy_shutdown_sends_goaway_and_lets_the_stream_in_flight_finish()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, Infrastructure.OriginServer.Host, s.Origin.Port);
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(AuthorizedGet(s, "/slow")));
        await WaitForAsync(() => !s.Origin.Requests.IsEmpty);

        s.Proxy.Shutdown();

        var frames = new List<FrameType>();
        var endStream = false;
        while (!endStream && await c.ReadFrameAsync() is { } frame)
        {
            frames.Add(frame.Header.Type);
            endStream = frame.Header is { Type: FrameType.Data, StreamId: 1 } && frame.Header.Has(FrameFlags.EndStream);
        }

        Assert.True(endStream, string.Join(", ", frames));
        Assert.True(frames.IndexOf(FrameType.GoAway) < frames.IndexOf(FrameType.Data), string.Join(", ", frames));
        Assert.Null(await c.ReadFrameAsync());
    }

    [Fact]
    public async Task Client_goaway_closes_the_connection_once_its_streams_are_done()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var c = await H2RawClient.ConnectAsync(s.Proxy, Infrastructure.OriginServer.Host, s.Origin.Port);
        await c.SendAsync(FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 1, H2RawClient.Block(AuthorizedGet(s, "/v1/quiet")));
        await c.SendAsync(FrameType.GoAway, 0, 0, new byte[8]);

        var data = await c.ReadUntilAsync(FrameType.Data, 1);

        Assert.True(data.Header.Has(FrameFlags.EndStream));
        Assert.Null(await c.ReadFrameAsync());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25, TestContext.Current.CancellationToken);
        Assert.True(condition());
    }
}
