using System.Buffers;
using Nono.Proxy.Http;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

internal static partial class Http1Forwarder
{
    private enum Framing { None, Length, Chunked, Close }

    private static void WriteRequestHead(IBufferWriter<byte> writer, RequestHead head, Uri uri, SessionToken token, bool upgrade) =>
        WriteRequestHead(writer, head, uri, token, upgrade, absoluteForm: false, endHead: true);

    /// <summary>
    /// The head for a request sent to the external proxy: absolute-form target, then the proxy's
    /// credentials. It is sent straight on the socket from a buffer that is zeroed afterwards, so the
    /// credentials never sit in the connection's pooled pipe memory.
    /// </summary>
    private static async ValueTask SendHeadToExternalProxyAsync(Http1Connection connection, RequestHead head, Uri uri, SessionToken token, bool upgrade, ExternalProxyClient external, CancellationToken ct)
    {
        var text = new ArrayBufferWriter<byte>(512);
        WriteRequestHead(text, head, uri, token, upgrade, absoluteForm: true, endHead: false);
        var length = text.WrittenCount + external.AuthorizationLength + 2;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            text.WrittenSpan.CopyTo(buffer);
            var at = text.WrittenCount;
            at += external.AppendAuthorization(buffer.AsSpan(at));
            "\r\n"u8.CopyTo(buffer.AsSpan(at));
            await connection.Socket.SendAsync(buffer.AsMemory(0, at + 2), System.Net.Sockets.SocketFlags.None, ct).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the request head straight into <paramref name="writer"/>: no intermediate string per request.</summary>
    private static void WriteRequestHead(IBufferWriter<byte> writer, RequestHead head, Uri uri, SessionToken token, bool upgrade, bool absoluteForm, bool endHead)
    {
        HeadText.Append(writer, head.Method);
        HeadText.Append(writer, " "u8);
        if (absoluteForm)
        {
            HeadText.Append(writer, uri.Scheme);
            HeadText.Append(writer, "://"u8);
            HeadText.Append(writer, uri.Authority);
        }

        HeadText.Append(writer, RequestTarget.OriginForm(head.Target));
        HeadText.Append(writer, " HTTP/1.1\r\nHost: "u8);
        HeadText.Append(writer, uri.Authority);
        HeadText.Append(writer, "\r\n"u8);
        OutboundHeaders.Copy(head, RequestRewrite.None, token, upgrade, writer, HeadText.AppendField);

        if (head.Chunked)
            HeadText.Append(writer, "Transfer-Encoding: chunked\r\n"u8);
        else if (head.ContentLength is { } length)
            HeadText.AppendField(writer, "Content-Length", length);
        if (endHead)
            HeadText.Append(writer, "\r\n"u8);
    }

    private static async ValueTask<bool> RelayResponseAsync(RequestContext ctx, Http1Connection connection, string key, ResponseHead response, AuditTarget audit, CancellationToken ct)
    {
        var head = ctx.Head;
        var noBody = head.Method == "HEAD" || response.Status is 204 or 304;
        var untilClose = !noBody && !response.Chunked && response.ContentLength is null;
        var framing = noBody ? Framing.None
            : response.ContentLength is not null ? Framing.Length
            : head.MinorVersion == 1 ? Framing.Chunked
            : Framing.Close;
        var keepAlive = head.KeepAlive && !ctx.Runtime.ShuttingDown && framing != Framing.Close && ctx.Body.IsComplete;

        WriteResponseHead(ctx.Client.Writer, response, framing, keepAlive);

        // Recorded before the client can see the response; a failure mid-body adds a second event.
        ctx.RecordAllowed(audit, response.Status, null);
        bool completed;
        try
        {
            if (noBody)
            {
                await ctx.Client.Writer.FlushAsync(ct).ConfigureAwait(false);
            }
            else
            {
                var body = new MessageBody(connection.Reader, response.Chunked, response.ContentLength ?? 0, untilClose, ResponseLimits, ProgressDeadline.None);
                await body.CopyToAsync(ctx.Client.Writer, encodeChunked: framing == Framing.Chunked, ct).ConfigureAwait(false);
            }

            completed = true;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or HttpFramingException or OperationCanceledException)
        {
            completed = false;
        }

        if (!completed)
            ctx.RecordAllowed(audit, response.Status, "response not completed (upstream or client failed mid-body)");
        if (completed && !response.ConnectionClose && !untilClose && !connection.HasStrayBytes())
            ctx.Runtime.Http1Pool.Return(key, connection);
        else
            connection.Dispose();

        if (!completed)
        {
            // A truncated response must not look complete: close instead of ending it cleanly.
            ctx.Client.Abort();
            return false;
        }

        return keepAlive;
    }

    private static void WriteResponseHead(IBufferWriter<byte> writer, ResponseHead response, Framing framing, bool keepAlive)
    {
        HeadText.Append(writer, "HTTP/1.1 "u8);
        HeadText.Append(writer, response.Status);
        HeadText.Append(writer, " "u8);
        HeadText.Append(writer, response.Reason.Length > 0 ? response.Reason : ResponseWriter.ReasonPhrase(response.Status));
        HeadText.Append(writer, "\r\n"u8);
        var named = HopByHop.NamedByConnection(response.Headers);
        foreach (var (name, value) in response.Headers)
        {
            if (HopByHop.IsHopByHop(name, named) || (framing != Framing.None && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                continue;
            HeadText.AppendField(writer, name, value);
        }

        if (framing == Framing.Length)
            HeadText.AppendField(writer, "Content-Length", response.ContentLength!.Value);
        else if (framing == Framing.Chunked)
            HeadText.Append(writer, "Transfer-Encoding: chunked\r\n"u8);
        if (!keepAlive)
            HeadText.Append(writer, "Connection: close\r\n"u8);
        HeadText.Append(writer, "\r\n"u8);
    }
}
