using Nono.Proxy.Http;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Server;

/// <summary>
/// The HTTP/1.1 request loop of one client connection, over any pipe pair: a plain socket, or the
/// decrypted stream of an intercepted tunnel (then <see cref="InterceptTarget"/> is set). Reads a head
/// with the idle and header timeouts, dispatches it, and loops while the connection stays reusable.
/// </summary>
internal sealed partial class HttpSession(ProxyRuntime runtime, ClientConnection client, InterceptTarget? intercept)
{
    // One timeout source for the life of the connection, re-armed per request rather than re-created.
    private CancellationTokenSource? _timeout;

    public async Task RunAsync()
    {
        try
        {
            await LoopAsync().ConfigureAwait(false);
        }
        finally
        {
            _timeout?.Dispose();
        }
    }

    private async Task LoopAsync()
    {
        while (!runtime.ShuttingDown)
        {
            var (head, rejection) = await ReadHeadAsync().ConfigureAwait(false);
            if (rejection is { } r)
            {
                runtime.Audit.Add(new NetworkAuditEvent
                {
                    Mode = intercept is null ? AuditMode.Forward : AuditMode.Intercept,
                    Decision = AuditDecision.Deny,
                    Target = intercept?.Host ?? "",
                    Port = intercept?.Port ?? 0,
                    Status = r.Status,
                    Reason = r.Reason,
                    ReasonCode = Refusals.Code(Refusals.FromStatus(r.Status)),
                });
                await ResponseWriter.WriteSimpleAsync(client.Writer, r.Status, "nono: " + r.Reason, close: true, runtime.AbortToken).ConfigureAwait(false);
                return;
            }

            if (head is null)
                return;

            if (!await DispatchAsync(head, runtime.AbortToken).ConfigureAwait(false))
                return;
        }
    }

    /// <summary>(null, null): the client went away or stayed idle; close quietly.</summary>
    private async ValueTask<(RequestHead? Head, HttpRejection? Rejection)> ReadHeadAsync()
    {
        var reader = client.Reader;
        if (_timeout is null || !_timeout.TryReset())
        {
            _timeout?.Dispose();
            _timeout = CancellationTokenSource.CreateLinkedTokenSource(runtime.ShutdownToken);
        }

        var timeout = _timeout;
        timeout.CancelAfter(runtime.Config.IdleTimeout);
        var started = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!started && !buffer.IsEmpty)
                {
                    // The header timeout runs from the first byte of the request, the idle timeout before it.
                    started = true;
                    timeout.CancelAfter(runtime.Config.HeaderTimeout);
                }

                if (RequestParser.TryParse(buffer, runtime.Limits, out var consumed, out var head, out var rejection))
                {
                    timeout.CancelAfter(Timeout.Infinite);
                    reader.AdvanceTo(rejection is null ? consumed : buffer.End);
                    return (head, rejection);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                    return (null, buffer.IsEmpty ? null : HttpRejection.BadRequest("connection closed inside the request head"));
            }
        }
        catch (OperationCanceledException) when (started && !runtime.ShuttingDown)
        {
            return (null, new HttpRejection(408, "request head not received in time"));
        }
        catch (OperationCanceledException)
        {
            return (null, null);
        }
        catch (IOException)
        {
            return (null, null);
        }
    }
}
