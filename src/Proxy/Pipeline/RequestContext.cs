using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>One request being handled: its head, the client side it came from (HTTP/1.1 or HTTP/2) and its audit mode.</summary>
internal sealed class RequestContext(ProxyRuntime runtime, IRequestFront front, RequestHead head, AuditMode mode)
{
    public RequestContext(ProxyRuntime runtime, ClientConnection client, RequestHead head, AuditMode mode)
        : this(runtime, new Http1Front(runtime, client, head), head, mode)
    {
    }

    public ProxyRuntime Runtime { get; } = runtime;

    public IRequestFront Front { get; } = front;

    public RequestHead Head { get; } = head;

    public IRequestBody Body => Front.Body;

    public AuditMode Mode { get; set; } = mode;

    /// <summary>The HTTP/1.1 side, for handlers that only exist there (CONNECT, plain-HTTP forwarding).</summary>
    public Http1Front Http1 => Front as Http1Front ?? throw new InvalidOperationException("this handler needs an HTTP/1.1 client connection");

    /// <summary>The HTTP/1.1 client connection (see <see cref="Http1"/>).</summary>
    public ClientConnection Client => Http1.Client;

    /// <summary>Answers with a short plain-text response from the proxy itself and records the decision.</summary>
    public ValueTask<bool> RespondAsync(int status, string message, string target, int port, string? path, string? route, CancellationToken ct, params HeaderField[] headers) =>
        RespondAsync(status, message, target, port, path, route, close: false, ct, headers);

    /// <summary>As above; <paramref name="close"/> ends the connection after the response whatever the request asked.</summary>
    public ValueTask<bool> RespondAsync(int status, string message, string target, int port, string? path, string? route, bool close, CancellationToken ct, params HeaderField[] headers)
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
        return Front.RespondAsync(status, message, close, ct, headers);
    }
}
