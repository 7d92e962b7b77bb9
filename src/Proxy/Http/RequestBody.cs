using System.Buffers;
using System.IO.Pipelines;

namespace Nono.Proxy.Http;

/// <summary>
/// The body of one request, read from the client's pipe and decoded (Content-Length or chunked) as it
/// is copied out. The body is never buffered whole: bytes go to the destination as they arrive.
/// </summary>
internal sealed class RequestBody
{
    private readonly PipeReader _reader;
    private readonly bool _chunked;
    private ChunkedDecoder _decoder;
    private long _remaining;

    public RequestBody(PipeReader reader, RequestHead head, HttpLimits limits)
    {
        _reader = reader;
        _chunked = head.Chunked;
        _remaining = head.ContentLength ?? 0;
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
            var result = await _reader.ReadAsync(ct).ConfigureAwait(false);
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
