namespace Nono.Proxy.Pipeline;

/// <summary>
/// An intercepted CONNECT whose TLS handshake did not produce a usable connection (the client refused the
/// session CA, asked for another name, timed out...). The tunnel is closed, never turned into a plain relay.
/// </summary>
internal sealed class InterceptRefusedException(string reason, string detail) : Exception($"{reason}: {detail}")
{
    /// <summary>Short reason for the audit event.</summary>
    public string Reason { get; } = reason;

    /// <summary>What happened, printable and free of secrets.</summary>
    public string Detail { get; } = detail;
}
