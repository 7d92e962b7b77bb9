namespace Nono.Proxy.Http2;

/// <summary>Sending on a stream, for <see cref="Http2Front"/>.</summary>
internal sealed partial class Http2Connection
{
    /// <param name="flush">False when DATA follows at once: the head then leaves in the same write as the body's first frame.</param>
    internal async ValueTask SendHeadersAsync(Http2Stream stream, ReadOnlyMemory<byte> block, bool endStream, bool flush = true)
    {
        if (stream.Reset)
            throw new IOException("the stream was reset");
        await _writer.WriteHeadersAsync(stream.Id, block, endStream, flush).ConfigureAwait(false);
        if (endStream)
            stream.ResponseEnded = true;
    }

    internal ValueTask FlushAsync() => _writer.FlushPendingAsync();

    /// <summary>Sends <paramref name="data"/> as DATA frames as the windows allow; an empty payload is sent as one frame.</summary>
    internal async ValueTask SendDataAsync(Http2Stream stream, ReadOnlyMemory<byte> data, bool endStream, CancellationToken ct)
    {
        do
        {
            var n = data.IsEmpty ? 0 : await ReserveSendAsync(stream, data.Length, ct).ConfigureAwait(false);
            if (stream.Reset)
                throw new IOException("the stream was reset");
            var last = n == data.Length;
            await _writer.WriteDataAsync(stream.Id, data[..n], endStream && last).ConfigureAwait(false);
            data = data[n..];
        }
        while (!data.IsEmpty);

        if (endStream)
            stream.ResponseEnded = true;
    }
}
