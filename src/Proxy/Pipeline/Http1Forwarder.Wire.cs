using System.Buffers;
using System.Globalization;
using System.Text;
using Nono.Proxy.Http;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

internal static partial class Http1Forwarder
{
    private enum Framing { None, Length, Chunked, Close }

    private static void WriteRequestHead(IBufferWriter<byte> writer, RequestHead head, Uri uri, SessionToken token, bool upgrade) =>
        ResponseWriter.Write(writer, FormatRequestHead(head, uri, token, upgrade, absoluteForm: false, endHead: true), Encoding.Latin1);

    /// <summary>
    /// The head for a request sent to the external proxy: absolute-form target, then the proxy's
    /// credentials. It is sent straight on the socket from a buffer that is zeroed afterwards, so the
    /// credentials never sit in the connection's pooled pipe memory.
    /// </summary>
    private static async ValueTask SendHeadToExternalProxyAsync(Http1Connection connection, RequestHead head, Uri uri, SessionToken token, bool upgrade, ExternalProxyClient external, CancellationToken ct)
    {
        var text = FormatRequestHead(head, uri, token, upgrade, absoluteForm: true, endHead: false);
        var length = Encoding.Latin1.GetByteCount(text) + external.AuthorizationLength + 2;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = Encoding.Latin1.GetBytes(text, buffer);
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

    private static string FormatRequestHead(RequestHead head, Uri uri, SessionToken token, bool upgrade, bool absoluteForm, bool endHead)
    {
        var sb = new StringBuilder(256);
        var target = absoluteForm ? $"{uri.Scheme}://{uri.Authority}{RequestTarget.OriginForm(head.Target)}" : RequestTarget.OriginForm(head.Target);
        sb.Append(head.Method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(uri.Authority).Append("\r\n");
        OutboundHeaders.Copy(head, RequestRewrite.None, token, upgrade, sb, static (sb, name, value) => sb.Append(name).Append(": ").Append(value).Append("\r\n"));

        if (head.Chunked)
            sb.Append("Transfer-Encoding: chunked\r\n");
        else if (head.ContentLength is { } length)
            sb.Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (endHead)
            sb.Append("\r\n");
        return sb.ToString();
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
        var sb = new StringBuilder(512);
        sb.Append("HTTP/1.1 ").Append(response.Status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(response.Reason.Length > 0 ? response.Reason : ResponseWriter.ReasonPhrase(response.Status)).Append("\r\n");
        var named = HopByHop.NamedByConnection(response.Headers);
        foreach (var (name, value) in response.Headers)
        {
            if (HopByHop.IsHopByHop(name, named) || (framing != Framing.None && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
                continue;
            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (framing == Framing.Length)
            sb.Append("Content-Length: ").Append(response.ContentLength!.Value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        else if (framing == Framing.Chunked)
            sb.Append("Transfer-Encoding: chunked\r\n");
        if (!keepAlive)
            sb.Append("Connection: close\r\n");
        sb.Append("\r\n");
        ResponseWriter.Write(writer, sb.ToString(), Encoding.Latin1);
    }
}
