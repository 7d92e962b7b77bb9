using System.Net;
using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// Request content that streams the client's body to the upstream as HttpClient writes the request.
/// A client that sent <c>Expect: 100-continue</c> is told to go ahead only when the body is wanted.
/// </summary>
/// <param name="continueTo">The client to send <c>100 Continue</c> to, when it asked for one.</param>
internal sealed class BodyContent(IRequestBody body, IRequestFront? continueTo) : HttpContent
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the body has been sent, or sending it has failed or been abandoned.</summary>
    public Task Completion => _done.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        try
        {
            if (continueTo is not null)
                await continueTo.SendContinueAsync(cancellationToken).ConfigureAwait(false);

            await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpFramingException)
        {
            // Make sure the failure surfaces as a request-body failure, not as an upstream error.
            throw new ClientBodyException(e.Message, e);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length ?? -1;
        return body.Length is not null;
    }
}

/// <summary>The client's request body could not be read (closed early or badly framed).</summary>
internal sealed class ClientBodyException(string message, Exception inner) : IOException(message, inner);
