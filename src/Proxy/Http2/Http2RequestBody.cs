using Nono.Proxy.Http;

namespace Nono.Proxy.Http2;

/// <summary>
/// A stream's request body as the upstream exchange reads it: DATA payloads from the stream's pipe,
/// each read returned to the client's flow-control window as it is consumed. A body that stops arriving
/// ends after the proxy's body progress timeout, as on HTTP/1.1.
/// </summary>
internal sealed class Http2RequestBody(Http2Connection connection, Http2Stream stream, bool hasBody, TimeSpan progressTimeout) : IRequestBody
{
    public bool IsComplete { get; private set; } = !hasBody;

    public long? Length => stream.DeclaredLength;

    public async ValueTask CopyToAsync(Stream destination, CancellationToken ct)
    {
        var reader = stream.Body.Reader;
        while (!IsComplete)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await Http.ProgressDeadline.ReadAsync(reader, progressTimeout, ct).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                throw new IOException("the request body can no longer be read", e);
            }

            if (result.IsCanceled)
                throw new IOException("the stream was reset");
            var buffer = result.Buffer;
            foreach (var segment in buffer)
                await destination.WriteAsync(segment, ct).ConfigureAwait(false);
            var consumed = (int)buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (consumed > 0)
                await connection.ConsumedAsync(stream, consumed).ConfigureAwait(false);
            if (result.IsCompleted)
                IsComplete = true;
        }
    }

    public async ValueTask<bool> DrainAsync(long limit, CancellationToken ct)
    {
        try
        {
            await CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
