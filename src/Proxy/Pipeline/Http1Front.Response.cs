using System.Buffers;
using System.Globalization;
using System.Text;
using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

internal sealed partial class Http1Front
{
    private enum Framing { None, Length, Chunked, Close }

    /// <summary>Writes the response head and streams the body; false when the body could not be completed.</summary>
    public async ValueTask<bool> SendResponseAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var contentLength = response.Content.Headers.ContentLength;
        var framing = head.Method == "HEAD" || status is 204 or 304 || status < 200
            ? Framing.None
            : contentLength is not null ? Framing.Length
            : head.MinorVersion == 1 ? Framing.Chunked
            : Framing.Close;
        var keepAlive = KeepsAlive(response) && framing != Framing.Close;

        var writer = Client.Writer;
        WriteHead(writer, response, status, framing, contentLength, keepAlive);
        if (framing == Framing.None)
        {
            await writer.FlushAsync(ct).ConfigureAwait(false);
            return true;
        }

        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return framing == Framing.Chunked
                ? await CopyChunkedAsync(stream, writer, ct).ConfigureAwait(false)
                : await CopyRawAsync(stream, writer, framing == Framing.Length ? contentLength : null, ct).ConfigureAwait(false);
        }
    }

    private static void WriteHead(IBufferWriter<byte> writer, HttpResponseMessage response, int status, Framing framing, long? contentLength, bool keepAlive)
    {
        var head = new StringBuilder(512);
        head.Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(response.ReasonPhrase ?? ResponseWriter.ReasonPhrase(status)).Append("\r\n");

        HashSet<string>? named = null;
        if (response.Headers.NonValidated.TryGetValues("Connection", out var connection))
            named = HopByHop.NamedByConnection(connection.Select(v => new HeaderField("Connection", v)));

        foreach (var (name, values) in response.Headers.NonValidated)
            AppendHeader(head, name, values, named);
        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                AppendHeader(head, name, values, named);
        }

        switch (framing)
        {
            case Framing.Length:
                head.Append("Content-Length: ").Append(contentLength!.Value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
                break;
            case Framing.Chunked:
                head.Append("Transfer-Encoding: chunked\r\n");
                break;
            case Framing.None when contentLength is not null:
                head.Append("Content-Length: ").Append(contentLength.Value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
                break;
        }

        if (!keepAlive)
            head.Append("Connection: close\r\n");
        head.Append("\r\n");
        ResponseWriter.Write(writer, head.ToString(), Encoding.Latin1);
    }

    private static void AppendHeader(StringBuilder head, string name, System.Net.Http.Headers.HeaderStringValues values, HashSet<string>? named)
    {
        if (HopByHop.IsHopByHop(name, named))
            return;
        foreach (var value in values)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    private static async ValueTask<bool> CopyRawAsync(Stream source, System.IO.Pipelines.PipeWriter writer, long? expected, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            // Asking for no more than the body still to come keeps a small body in the head's buffer
            // segment: the head and the body then leave in one write (one TLS record, one send).
            var memory = writer.GetMemory(expected is { } size ? (int)Math.Clamp(size - total, 1, 16 * 1024) : 16 * 1024);
            var n = await source.ReadAsync(memory, ct).ConfigureAwait(false);
            if (n == 0)
                break;
            writer.Advance(n);
            total += n;
            var flush = await writer.FlushAsync(ct).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
                return false;
        }

        if (expected is { } length && total != length)
            return false;
        if (total == 0)
            await writer.FlushAsync(ct).ConfigureAwait(false);
        return true;
    }

    private static async ValueTask<bool> CopyChunkedAsync(Stream source, System.IO.Pipelines.PipeWriter writer, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var n = await source.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0)
                    break;
                ResponseWriter.Write(writer, n.ToString("x", CultureInfo.InvariantCulture) + "\r\n", Encoding.ASCII);
                ResponseWriter.WriteAscii(writer, buffer.AsSpan(0, n));
                ResponseWriter.WriteAscii(writer, "\r\n"u8);
                var flush = await writer.FlushAsync(ct).ConfigureAwait(false);
                if (flush.IsCanceled || flush.IsCompleted)
                    return false;
            }

            ResponseWriter.WriteAscii(writer, "0\r\n\r\n"u8);
            await writer.FlushAsync(ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
