using System.Collections.Concurrent;

namespace Nono.Proxy.Http2;

/// <summary>
/// The streams of one connection: the open ones by id, the highest id the client has opened (ids at or
/// below it are closed or open, above it idle: RFC 9113 section 5.1.1), and how many handlers run.
/// The read loop opens streams; handlers on other threads look them up and remove them when done.
/// </summary>
internal sealed class Http2StreamTable
{
    private readonly ConcurrentDictionary<int, Http2Stream> _streams = new();
    private int _lastStreamId;
    private int _active;

    /// <summary>The highest stream id the client has opened (the GOAWAY's last-stream-id).</summary>
    public int LastStreamId => Volatile.Read(ref _lastStreamId);

    /// <summary>Streams whose handler is still running.</summary>
    public int Active => Volatile.Read(ref _active);

    public ICollection<Http2Stream> Open => _streams.Values;

    /// <summary>A frame for an id the client has not opened yet (idle: most frames there are a connection error).</summary>
    public bool IsIdle(int streamId) => streamId > LastStreamId;

    public bool TryGet(int streamId, out Http2Stream stream) => _streams.TryGetValue(streamId, out stream!);

    /// <summary>Claims <paramref name="streamId"/> as the newest stream; false when it is not above every earlier one.</summary>
    public bool TryClaim(int streamId)
    {
        if (streamId <= _lastStreamId)
            return false;
        Volatile.Write(ref _lastStreamId, streamId);
        return true;
    }

    /// <summary>Adds a stream whose handler is about to start; true when it is the only one running.</summary>
    public bool Start(Http2Stream stream)
    {
        _streams[stream.Id] = stream;
        return Interlocked.Increment(ref _active) == 1;
    }

    /// <summary>Removes a stream whose handler finished; true when no handler is left running.</summary>
    public bool Finish(Http2Stream stream)
    {
        _streams.TryRemove(stream.Id, out _);
        return Interlocked.Decrement(ref _active) == 0;
    }
}
