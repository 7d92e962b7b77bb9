using System.Buffers;
using System.Text;
using Nono.Proxy.Http;
using Nono.Proxy.Http2.Hpack;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Http2;

/// <summary>
/// The client side of a request that arrived as an HTTP/2 stream: responses become HEADERS and DATA
/// frames on that stream, sent within the client's flow-control windows; an abort resets the stream.
/// </summary>
/// <param name="bodyProgressTimeout">Longest wait for the next DATA of the request body.</param>
internal sealed class Http2Front(Http2Connection connection, Http2Stream stream, TimeSpan bodyProgressTimeout) : IRequestFront
{
    private const int CopyBufferSize = 16 * 1024;

    public IRequestBody Body { get; } = new Http2RequestBody(connection, stream, stream.Head!.HasBody, bodyProgressTimeout);

    public async ValueTask SendContinueAsync(CancellationToken ct)
    {
        var block = new ArrayBufferWriter<byte>(8);
        HpackEncoder.WriteStatus(block, 100);
        await connection.SendHeadersAsync(stream, block.WrittenMemory, endStream: false).ConfigureAwait(false);
    }

    public async ValueTask<bool> RespondAsync(int status, string message, bool close, CancellationToken ct, HeaderField[] headers)
    {
        var body = Encoding.UTF8.GetBytes("nono: " + message + "\n");
        var block = new ArrayBufferWriter<byte>(128);
        HpackEncoder.WriteStatus(block, status);
        foreach (var (name, value) in headers)
        {
            if (!HopByHop.IsHopByHop(name, null))
                HpackEncoder.WriteField(block, name.ToLowerInvariant(), value);
        }

        HpackEncoder.WriteField(block, "content-type", "text/plain; charset=utf-8");
        HpackEncoder.WriteField(block, "content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await connection.SendHeadersAsync(stream, block.WrittenMemory, endStream: false, flush: false).ConfigureAwait(false);
        await connection.SendDataAsync(stream, body, endStream: true, ct).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<bool> SendResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var noBody = stream.Head!.Method == "HEAD" || status is 204 or 304;
        var length = response.Content.Headers.ContentLength;

        var block = new ArrayBufferWriter<byte>(512);
        HpackEncoder.WriteStatus(block, status);
        HashSet<string>? named = null;
        if (response.Headers.NonValidated.TryGetValues("Connection", out var connectionHeader))
            named = HopByHop.NamedByConnection(connectionHeader.Select(v => new HeaderField("Connection", v)));
        foreach (var (name, values) in response.Headers.NonValidated)
            WriteHeader(block, name, values, named);
        foreach (var (name, values) in response.Content.Headers.NonValidated)
            WriteHeader(block, name, values, named);
        await connection.SendHeadersAsync(stream, block.WrittenMemory, endStream: noBody, flush: noBody).ConfigureAwait(false);
        if (noBody)
            return true;

        // Trailers come only after the last byte of the body (HTTP/2 upstreams, chunked HTTP/1.1): END_STREAM
        // then goes on the trailing HEADERS frame, so the last DATA frame must not carry it.
        var endOnLastData = length is not null && response.Version.Major < 2;
        var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                long total = 0;
                var headFlushed = false;
                while (true)
                {
                    var read = source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct);
                    if (!headFlushed && !read.IsCompleted)
                    {
                        // The body is not there yet: the head must not wait for it (long polls, event streams).
                        await connection.FlushAsync().ConfigureAwait(false);
                    }

                    headFlushed = true;
                    var n = await read.ConfigureAwait(false);
                    if (n == 0)
                        break;
                    total += n;
                    if (total > length)
                        return false;

                    // With a known length and no trailers possible the last DATA frame carries END_STREAM.
                    await connection.SendDataAsync(stream, buffer.AsMemory(0, n), endStream: endOnLastData && total == length, ct).ConfigureAwait(false);
                }

                if (length is { } expected && total != expected)
                    return false;
                if (endOnLastData && total > 0)
                    return true;
                return await EndAsync(response, ct).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public bool KeepsAlive(HttpResponseMessage response) => true;

    public void Abort() =>
        _ = connection.ResetFromServerAsync(stream.Id, stream.ResponseEnded ? Http2ErrorCode.NoError : Http2ErrorCode.InternalError).AsTask();

    /// <summary>Ends the response: with the upstream's trailers (gRPC status lives there) when it sent any, else an empty DATA frame.</summary>
    private async ValueTask<bool> EndAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var block = new ArrayBufferWriter<byte>(128);
        foreach (var (name, values) in response.TrailingHeaders.NonValidated)
        {
            // Framing and routing fields have no meaning in a trailer section (RFC 9110 section 6.5.1).
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                WriteHeader(block, name, values, null);
        }

        if (block.WrittenCount > 0)
            await connection.SendHeadersAsync(stream, block.WrittenMemory, endStream: true).ConfigureAwait(false);
        else
            await connection.SendDataAsync(stream, ReadOnlyMemory<byte>.Empty, endStream: true, ct).ConfigureAwait(false);
        return true;
    }

    private static void WriteHeader(ArrayBufferWriter<byte> block, string name, System.Net.Http.Headers.HeaderStringValues values, HashSet<string>? named)
    {
        if (HopByHop.IsHopByHop(name, named))
            return;
        var lower = name.ToLowerInvariant();
        foreach (var value in values)
            HpackEncoder.WriteField(block, lower, value);
    }
}
