namespace Nono.Sandbox;

/// <summary>How the child may reach the network.</summary>
public enum NetworkMode
{
    /// <summary>No sockets but AF_UNIX.</summary>
    Blocked,

    /// <summary>No network restriction at all (explicit opt-out).</summary>
    Host,

    /// <summary>Only the supervisor's proxy (and <see cref="NetworkPolicy.ConnectPorts"/>) are reachable.</summary>
    Proxy,
}

/// <summary>The network half of a sandbox policy.</summary>
public sealed record NetworkPolicy
{
    public NetworkMode Mode { get; init; } = NetworkMode.Blocked;

    /// <summary>Ports the proxy listens on for the child (proxy mode only).</summary>
    public IReadOnlyList<ushort> ProxyPorts { get; init; } = [];

    /// <summary>Extra TCP ports the child may connect to on loopback, bridged by the supervisor.</summary>
    public IReadOnlyList<ushort> ConnectPorts { get; init; } = [];

    /// <summary>TCP ports the child may bind (listen on) inside its sandbox.</summary>
    public IReadOnlyList<ushort> BindPorts { get; init; } = [];

    public static NetworkPolicy Blocked { get; } = new() { Mode = NetworkMode.Blocked };

    public static NetworkPolicy Host { get; } = new() { Mode = NetworkMode.Host };

    public static NetworkPolicy ViaProxy(params IReadOnlyList<ushort> proxyPorts) =>
        new() { Mode = NetworkMode.Proxy, ProxyPorts = proxyPorts };
}
