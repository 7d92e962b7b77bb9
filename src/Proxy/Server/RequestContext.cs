using Nono.Proxy.Http;

namespace Nono.Proxy.Server;

/// <summary>One request being handled: its head, its body reader and the connection it came on.</summary>
internal sealed class RequestContext(ProxyRuntime runtime, ClientConnection client, RequestHead head, AuditMode mode)
{
    public ProxyRuntime Runtime { get; } = runtime;

    public ClientConnection Client { get; } = client;

    public RequestHead Head { get; } = head;

    public MessageBody Body { get; } = new(client.Reader, head, runtime.Limits);

    public AuditMode Mode { get; set; } = mode;

    /// <summary>Answers with a short plain-text response from the proxy itself and records the decision.</summary>
    public ValueTask<bool> RespondAsync(int status, string message, string target, int port, string? path, string? route, CancellationToken ct, params HeaderField[] headers) =>
        RespondAsync(status, message, target, port, path, route, close: false, ct, headers);

    /// <summary>As above; <paramref name="close"/> ends the connection after the response whatever the request asked.</summary>
    public async ValueTask<bool> RespondAsync(int status, string message, string target, int port, string? path, string? route, bool close, CancellationToken ct, params HeaderField[] headers)
    {
        Runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = Mode,
            Decision = status < 400 ? AuditDecision.Allow : AuditDecision.Deny,
            Target = target,
            Port = port,
            Method = Head.Method,
            Path = path,
            Status = status,
            Reason = message,
            Route = route,
        });

        // The connection stays usable only when the unread request body is small enough to skip.
        var keepAlive = !close && Head.KeepAlive && !Runtime.ShuttingDown && !(Head.ExpectContinue && !Body.IsComplete) && await Body.DrainAsync(64 * 1024, ct).ConfigureAwait(false);
        await ResponseWriter.WriteSimpleAsync(Client.Writer, status, "nono: " + message, !keepAlive, ct, headers).ConfigureAwait(false);
        if (!keepAlive && !Body.IsComplete)
            await Client.LingerAsync().ConfigureAwait(false);
        return keepAlive;
    }
}
