using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// The client side of one request, whatever protocol it arrived on: where its body is read from and how
/// its response goes back. An HTTP/1.1 connection (<see cref="Http1Front"/>) and an HTTP/2 stream
/// (<c>Http2.Http2Front</c>) implement it, so route handling, credential injection, endpoint rules and
/// auditing (<see cref="RequestPipeline"/>, <see cref="RequestPolicy"/>, <see cref="UpstreamForwarder"/>) exist once.
/// </summary>
internal interface IRequestFront
{
    IRequestBody Body { get; }

    /// <summary>Sends an interim <c>100 Continue</c> to a client that asked for one.</summary>
    ValueTask SendContinueAsync(CancellationToken ct);

    /// <summary>Sends the proxy's own short plain-text response; true when the client connection may carry another request.</summary>
    ValueTask<bool> RespondAsync(int status, string message, bool close, CancellationToken ct, HeaderField[] headers);

    /// <summary>Sends an upstream response, head then streamed body; false when the body could not be completed.</summary>
    ValueTask<bool> SendResponseAsync(HttpResponseMessage response, CancellationToken ct);

    /// <summary>Whether the client connection may carry another request after <paramref name="response"/>.</summary>
    bool KeepsAlive(HttpResponseMessage response);

    /// <summary>
    /// Ends the exchange without a graceful end, so a truncated response never looks complete: HTTP/1.1
    /// closes the connection, HTTP/2 resets the stream.
    /// </summary>
    void Abort();
}
