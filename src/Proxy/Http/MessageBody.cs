using System.Buffers;
using System.IO.Pipelines;

namespace Nono.Proxy.Http;

/// <summary>
/// The body of one message (a client's request, or an upstream's response), read from a pipe and decoded
/// (Content-Length, chunked, or until the peer closes) as it is copied out. The body is never buffered
/// whole: bytes go to the destination as they arrive.
/// </summary>
internal sealed class MessageBody : IRequestBody
{
    private readonly PipeReader _reader;
    private readonly bool _chunked;
    private readonly bool _untilClose;
    private readonly TimeSpan _progressTimeout;
    private ChunkedDecoder _decoder;
    private long _remaining;

    /// <param name="progressTimeout">Longest wait for the next bytes of the body (<see cref="ProgressDeadline.None"/>: no bound).</param>
    public MessageBody(PipeReader reader, RequestHead head, HttpLimits limits, TimeSpan progressTimeout)
        : this(reader, head.Chunked, head.ContentLength ?? 0, untilClose: false, limits, progressTimeout)
    {
    }

    /// <param name="untilClose">The body ends when the peer closes (a response with neither length nor chunking).</param>
    public MessageBody(PipeReader reader, bool chunked, long length, bool untilClose, HttpLimits limits, TimeSpan progressTimeout)
    {
        _reader = reader;
        _progressTimeout = progressTimeout;
        _chunked = chunked;
        _untilClose = untilClose && !chunked;
        _remaining = _untilClose ? long.MaxValue : length;
        _decoder = new ChunkedDecoder(limits);
        IsComplete = !_chunked && _remaining == 0;
    }

    public bool IsComplete { get; private set; }

    /// <summary>Length when framed by Content-Length; null when chunked.</summary>
    public long? Length => _chunked ? null : _remaining;

    /// <summary>Copies the rest of the body to <paramref name="destination"/>.</summary>
    public async ValueTask CopyToAsync(Stream destination, CancellationToken ct)
    {
        while (!IsComplete)
        {
            var result = await ProgressDeadline.ReadAsync(_reader, _progressTimeout, ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var needMore = false;
            while (!IsComplete && !needMore)
            {
                needMore = !Next(ref buffer, out var data);
                foreach (var segment in data)
                    await destination.WriteAsync(segment, ct).ConfigureAwait(false);
            }

            _reader.AdvanceTo(buffer.Start, needMore ? buffer.End : buffer.Start);
            if (!IsComplete && result.IsCompleted && (needMore || buffer.IsEmpty))
                throw new IOException("client closed the connection before the request body was complete");
        }
    }

    /// <summary>Reads and drops what is left, up to <paramref name="limit"/> bytes; false when the limit was hit.</summary>
    public async ValueTask<bool> DrainAsync(long limit, CancellationToken ct)
    {
        if (IsComplete)
            return true;
        if (!_chunked && _remaining > limit)
            return false;
        var counter = new CountingNullStream(limit);
        try
        {
            await CopyToAsync(counter, ct).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Copies the rest of the body into <paramref name="destination"/>, re-framed with chunked encoding when
    /// <paramref name="encodeChunked"/> is set, flushing as bytes arrive.
    /// </summary>
    public async ValueTask CopyToAsync(PipeWriter destination, bool encodeChunked, CancellationToken ct)
    {
        while (!IsComplete)
        {
            var result = await ProgressDeadline.ReadAsync(_reader, _progressTimeout, ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (_untilClose && buffer.IsEmpty && result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                IsComplete = true;
                break;
            }

            var needMore = false;
            while (!IsComplete && !needMore)
            {
                needMore = !Next(ref buffer, out var data);
                if (data.IsEmpty)
                    continue;
                if (encodeChunked)
                    ResponseWriter.Write(destination, data.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n", System.Text.Encoding.ASCII);
                foreach (var segment in data)
                    destination.Write(segment.Span);
                if (encodeChunked)
                    ResponseWriter.WriteAscii(destination, "\r\n"u8);
            }

            _reader.AdvanceTo(buffer.Start, needMore ? buffer.End : buffer.Start);
            var flush = await destination.FlushAsync(ct).ConfigureAwait(false);
            if (flush.IsCompleted || flush.IsCanceled)
                throw new IOException("the receiving side went away");
            if (!IsComplete && result.IsCompleted && (needMore || buffer.IsEmpty) && !_untilClose)
                throw new IOException("peer closed the connection before the body was complete");
        }

        if (encodeChunked)
        {
            ResponseWriter.WriteAscii(destination, "0\r\n\r\n"u8);
            await destination.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    private bool Next(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> data)
    {
        if (_chunked)
        {
            var progressed = _decoder.Next(ref buffer, out data);
            IsComplete = _decoder.IsDone;
            return progressed;
        }

        if (buffer.IsEmpty)
        {
            data = default;
            return false;
        }

        var take = Math.Min(_remaining, buffer.Length);
        data = buffer.Slice(0, take);
        buffer = buffer.Slice(take);
        if (!_untilClose)
            _remaining -= take;
        IsComplete = _remaining == 0;
        return true;
    }

    private sealed class CountingNullStream(long limit) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Count(count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(buffer.Length);
            return ValueTask.CompletedTask;
        }

        private void Count(int count)
        {
            _written += count;
            if (_written > limit)
                throw new InvalidOperationException("drain limit exceeded");
        }
    }
}
