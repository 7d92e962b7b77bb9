namespace Nono.Proxy.Pipeline;

/// <summary>
/// A refusal with what it is about: the one value from which the proxy's own response (status and
/// message) and the Deny audit event are both made (<see cref="RequestContext.RefuseAsync"/>).
/// </summary>
internal readonly record struct Denial(Refusal Reason, string Message, AuditTarget Audit)
{
    public int Status => Refusals.Status(Reason);

    public static Denial Of(Refusal reason, string message, string host = "", int port = 0, string? path = null, string? route = null) =>
        new(reason, message, new AuditTarget(host, port, path, route));
}
