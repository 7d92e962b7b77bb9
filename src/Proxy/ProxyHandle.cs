using System.Net;
using System.Net.Sockets;
using Nono.Proxy.Server;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy;

/// <summary>
/// A running proxy. Dispose it to stop: open connections get a short grace period, then are closed,
/// route credentials are zeroed, and the interception trust bundle (if any) is deleted.
/// </summary>
public sealed partial class ProxyHandle : IAsyncDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>How long <see cref="DisposeAsync"/> lets open connections finish by themselves before closing them.</summary>
    public TimeSpan DrainTimeout { get; set; } = Grace;
    private readonly Listener _listener;
    private int _disposed;
    private int _shuttingDown;

    internal ProxyHandle(ProxyRuntime runtime, Listener listener)
    {
        _listener = listener;
        // Without a listener yet (they arrive through AddListener), clients will see the configured address and port.
        var endpoint = listener.Sockets.Count > 0
            ? (IPEndPoint)listener.Sockets[0].LocalEndPoint!
            : new IPEndPoint(IPAddress.Parse(runtime.Config.BindAddress), runtime.Config.BindPort);
        Port = endpoint.Port;
        Host = DisplayHost(endpoint.Address);
        ListenAddress = Bracketed(endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address);
    }

    /// <summary>Port of the proxy's (first) listener.</summary>
    public int Port { get; }

    /// <summary>Address clients use to reach the proxy in URLs: the bind address, or 127.0.0.1 for a wildcard bind.</summary>
    public string Host { get; }

    /// <summary>The address the (first) listener is really bound to, wildcards included (<c>0.0.0.0</c>, <c>[::]</c>): what a banner must show.</summary>
    public string ListenAddress { get; }

    /// <summary>The session token clients authenticate with (and the phantom token of credential routes).</summary>
    public string Token => Runtime.Token.Value;

    /// <summary>Path of the TLS-interception trust bundle; null when interception is not configured, and after <see cref="Shutdown"/>.</summary>
    public string? InterceptCaPath => Runtime.Interceptor?.CaPath;

    /// <summary>The runtime of new connections (replaced by <see cref="ReloadAsync"/>).</summary>
    internal ProxyRuntime Runtime => _listener.Current;

    /// <summary>Returns and clears the audit events recorded so far (oldest first).</summary>
    public IReadOnlyList<NetworkAuditEvent> DrainAuditEvents() => Runtime.Audit.Drain();

    /// <summary>Audit events dropped because the buffer was full.</summary>
    public long DroppedAuditEvents => Runtime.Audit.Dropped;

    /// <summary>
    /// Stops accepting connections, closes idle ones and deletes the interception trust bundle; requests
    /// in flight may finish.
    /// </summary>
    public void Shutdown()
    {
        Volatile.Write(ref _shuttingDown, 1);
        Runtime.BeginShutdown();
        _listener.StopAccepting();
        Runtime.Interceptor?.DeleteTrustBundle();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Shutdown();
        await _listener.WaitAsync(DrainTimeout).ConfigureAwait(false);
        var runtime = Runtime;
        var retired = RetiredRuntimes();
        foreach (var old in retired)
            old.AbortUnlessReleased();
        runtime.Abort();
        _listener.AbortAll();
        await _listener.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        if (runtime.Interceptor is { } interceptor)
            await interceptor.DisposeAsync().ConfigureAwait(false);
        foreach (var old in retired)
            old.Release();
        runtime.Release();
    }

    private static string DisplayHost(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return "127.0.0.1";
        return Bracketed(address);
    }

    private static string Bracketed(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
