using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>The client side of a request that arrived on an HTTP/1.x connection.</summary>
internal sealed partial class Http1Front(ProxyRuntime runtime, ClientConnection client, RequestHead head) : IRequestFront
{
    private static ReadOnlySpan<byte> Continue => "HTTP/1.1 100 Continue\r\n\r\n"u8;

    public ClientConnection Client { get; } = client;

    /// <summary>The body as read from the connection (Content-Length or chunked).</summary>
    public MessageBody Body { get; } = new(client.Reader, head, runtime.Limits, runtime.Config.BodyProgressTimeout);

    IRequestBody IRequestFront.Body => Body;

    public async ValueTask SendContinueAsync(CancellationToken ct)
    {
        if (head.MinorVersion != 1)
            return;
        ResponseWriter.WriteAscii(Client.Writer, Continue);
        await Client.Writer.FlushAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask<bool> RespondAsync(int status, string message, bool close, CancellationToken ct, HeaderField[] headers)
    {
        // The connection stays usable only when the unread request body is small enough to skip.
        var keepAlive = !close && head.KeepAlive && !runtime.ShuttingDown && !(head.ExpectContinue && !Body.IsComplete) && await Body.DrainAsync(64 * 1024, ct).ConfigureAwait(false);
        await ResponseWriter.WriteSimpleAsync(Client.Writer, status, "nono: " + message, !keepAlive, ct, headers).ConfigureAwait(false);
        if (!keepAlive && !Body.IsComplete)
            await Client.LingerAsync().ConfigureAwait(false);
        return keepAlive;
    }

    public bool KeepsAlive(HttpResponseMessage response) =>
        head.KeepAlive && !runtime.ShuttingDown && response.Headers.ConnectionClose != true;

    public void Abort() => Client.Abort();
}
