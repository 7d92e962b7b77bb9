namespace Nono.Proxy.Pipeline;

/// <summary>What the audit event of a request records (never a query string or a secret).</summary>
internal readonly record struct AuditTarget(string Host, int Port, string? Path, string? Route);
