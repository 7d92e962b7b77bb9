using System.IO.Pipelines;
using Nono.Proxy.Http2;

namespace Nono.Proxy.Tests.Http2;

/// <summary>The frame header codec and the writer's framing of header blocks and control frames.</summary>
public sealed class FrameCodecTests
{
    [Fact]
    public void Frame_header_round_trips_and_ignores_the_reserved_bit()
    {
        var raw = new byte[9];
        new FrameHeader(0x12_3456, FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 0x7FFF_FFFF).Write(raw);

        Assert.Equal(new byte[] { 0x12, 0x34, 0x56, 0x01, 0x05, 0x7F, 0xFF, 0xFF, 0xFF }, raw);
        raw[5] |= 0x80;
        Assert.Equal(new FrameHeader(0x12_3456, FrameType.Headers, 0x05, 0x7FFF_FFFF), FrameHeader.Read(raw));
    }

    [Fact]
    public async Task Header_block_larger_than_the_peer_frame_size_is_split_into_continuations()
    {
        var pipe = new Pipe();
        var writer = new Http2FrameWriter(pipe.Writer, TestContext.Current.CancellationToken);
        var block = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();

        await writer.WriteHeadersAsync(5, block, endStream: true);
        pipe.Writer.Complete();
        var frames = await ReadAllAsync(pipe.Reader);

        Assert.Equal([FrameType.Headers, FrameType.Continuation, FrameType.Continuation], frames.Select(f => f.Header.Type));
        Assert.Equal([16_384, 16_384, 40_000 - 32_768], frames.Select(f => f.Header.Length));
        Assert.Equal(FrameFlags.EndStream, frames[0].Header.Flags);
        Assert.Equal(0, frames[1].Header.Flags);
        Assert.Equal(FrameFlags.EndHeaders, frames[2].Header.Flags);
        Assert.All(frames, f => Assert.Equal(5, f.Header.StreamId));
        Assert.Equal(block, frames.SelectMany(f => f.Payload));
    }

    [Fact]
    public async Task Control_frames_carry_their_fields_in_network_order()
    {
        var pipe = new Pipe();
        var writer = new Http2FrameWriter(pipe.Writer, TestContext.Current.CancellationToken);

        await writer.WriteSettingsAsync([(SettingId.MaxConcurrentStreams, 100), (SettingId.InitialWindowSize, 65_536)]);
        await writer.WriteWindowUpdateAsync(3, 1000);
        await writer.WriteRstStreamAsync(7, Http2ErrorCode.RefusedStream);
        await writer.WriteGoAwayAsync(9, Http2ErrorCode.EnhanceYourCalm, "calm");
        pipe.Writer.Complete();
        var frames = await ReadAllAsync(pipe.Reader);

        Assert.Equal(new byte[] { 0, 3, 0, 0, 0, 100, 0, 4, 0, 1, 0, 0 }, frames[0].Payload);
        Assert.Equal((FrameType.WindowUpdate, 3), (frames[1].Header.Type, frames[1].Header.StreamId));
        Assert.Equal(new byte[] { 0, 0, 3, 0xE8 }, frames[1].Payload);
        Assert.Equal(new byte[] { 0, 0, 0, 7 }, frames[2].Payload);
        Assert.Equal(new byte[] { 0, 0, 0, 9, 0, 0, 0, 0x0B, (byte)'c', (byte)'a', (byte)'l', (byte)'m' }, frames[3].Payload);
    }

    private static async Task<List<(FrameHeader Header, byte[] Payload)>> ReadAllAsync(PipeReader reader)
    {
        var stream = reader.AsStream();
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, TestContext.Current.CancellationToken);
        var all = bytes.ToArray();
        var frames = new List<(FrameHeader, byte[])>();
        for (var pos = 0; pos < all.Length;)
        {
            var header = FrameHeader.Read(all.AsSpan(pos));
            frames.Add((header, all.AsSpan(pos + 9, header.Length).ToArray()));
            pos += 9 + header.Length;
        }

        return frames;
    }
}
