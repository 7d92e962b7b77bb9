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

    /// <summary>
    /// Answers with the proxy's own short plain-text response for <paramref name="denial"/> and records the
    /// Deny audit event made from the same value. <paramref name="close"/> ends the connection after the
    /// response whatever the request asked (as do refusals that leave the connection out of step).
    /// </summary>
    public ValueTask<bool> RefuseAsync(Denial denial, CancellationToken ct, bool close = false, params HeaderField[] headers)
    {
        Record(AuditDecision.Deny, denial.Audit, denial.Status, denial.Message, Refusals.Code(denial.Reason));
        return Front.RespondAsync(denial.Status, denial.Message, close || Refusals.ClosesConnection(denial.Reason), ct, headers);
    }

    /// <summary>Records an allowed request that reached (or tried to reach) its upstream.</summary>
    public void RecordAllowed(AuditTarget audit, int status, string? reason) => Record(AuditDecision.Allow, audit, status, reason);

    private void Record(AuditDecision decision, AuditTarget audit, int status, string? reason, string? code = null) =>
        Runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = Mode,
            Decision = decision,
            Target = audit.Host,
            Port = audit.Port,
            Method = Head.Method,
            Path = audit.Path,
            Status = status,
            Reason = reason,
            Route = audit.Route,
            ReasonCode = code,
        });
}
