namespace Nono.Proxy;

/// <summary>A corporate proxy that outbound connections are chained through.</summary>
public sealed record ExternalProxyConfig
{
    /// <summary><c>host:port</c> of the external proxy.</summary>
    public required string Address { get; init; }

    /// <summary>Hosts reached directly instead (exact or <c>*.suffix</c>).</summary>
    public IReadOnlyList<string> BypassHosts { get; init; } = [];

    /// <summary>Proxy-Authorization credentials for the external proxy, if it needs them.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }
}
