namespace Nono.Proxy;

/// <summary>
/// Method and path rules for every request to a host that is not a credential route: <see cref="Host"/>
/// (an exact name or <c>*.suffix</c>) becomes reachable, and when <see cref="Rules"/> is not empty only the
/// requests matching one of them pass (403 otherwise). Rules on an https host need the proxy to see the
/// requests, so every CONNECT to it is intercepted (<see cref="ProxyConfig.TlsIntercept"/> must be set).
/// </summary>
public sealed record HostEndpointConfig
{
    public required string Host { get; init; }

    public IReadOnlyList<EndpointRule> Rules { get; init; } = [];
}
