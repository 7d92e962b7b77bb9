using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Nono.Proxy.Server;
using Nono.Proxy.Tls;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy;

/// <summary>Starts the filtering, credential-injecting proxy.</summary>
public static class ProxyServer
{
    /// <summary>
    /// Environment variable that makes the runtime run socket continuations on its event thread instead of
    /// queueing them to the thread pool. The proxy never blocks in a continuation, and on a small machine
    /// this roughly doubles tunnel throughput and forwarded requests per second. The runtime reads it once,
    /// when the first asynchronous socket operation starts: a host sets it at the top of Main, before any
    /// socket is used, with <see cref="PreferInlineSocketCompletions"/>.
    /// </summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets <see cref="InlineCompletionsVariable"/> for this process (see there for when to call it).</summary>
    public static void PreferInlineSocketCompletions() => Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");

    /// <summary>
    /// Validates <paramref name="config"/>, loads route credentials, binds (or adopts) the listeners and
    /// starts accepting. Listening sockets passed in <see cref="ProxyConfig.ListenSockets"/> become the
    /// proxy's: they are closed when it shuts down.
    /// </summary>
    /// <exception cref="ProxyConfigException">The configuration is invalid or unsafe.</exception>
    /// <exception cref="ProxyStartException">A listener could not be bound.</exception>
    /// <exception cref="TlsConfigurationException">The TLS interception settings are invalid.</exception>
    /// <exception cref="TrustBundleException">The interception trust bundle could not be written.</exception>
    public static ValueTask<ProxyHandle> StartAsync(ProxyConfig config, CancellationToken cancellationToken = default) =>
        StartAsync(config, caKeyFactory: null, cancellationToken);

    /// <param name="caKeyFactory">Test seam: supplies the interception CA key, so a test can look for it on disk.</param>
    /// <param name="interceptorFactory">Test seam: replaces the session interceptor.</param>
    internal static async ValueTask<ProxyHandle> StartAsync(
        ProxyConfig config, Func<ECDsa>? caKeyFactory, CancellationToken cancellationToken, Func<IConnectInterceptor>? interceptorFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigValidator.Validate(config);

        var token = config.FixedToken is { } fixedToken ? SessionToken.Fixed(fixedToken) : SessionToken.Generate();
        var runtime = await ProxyRuntime.CreateAsync(
            config,
            token,
            routes => interceptorFactory is not null ? interceptorFactory()
                : config.TlsIntercept is not null ? SessionInterceptor.Create(config, routes, caKeyFactory)
                : null,
            cancellationToken).ConfigureAwait(false);
        var sockets = new List<Socket>();
        try
        {
            if (config.BindOwnListener)
                sockets.Add(Bind(config));
            sockets.AddRange(config.ListenSockets);
            foreach (var socket in config.ListenSockets)
            {
                if (socket.LocalEndPoint is not IPEndPoint)
                    throw new ProxyConfigException("a listening socket passed to the proxy is not bound to an IP address");
            }

            if (!config.RequireAuth)
                RequireLoopback(sockets);

            var listener = new Listener(runtime, sockets);
            listener.Start();
            return new ProxyHandle(runtime, listener);
        }
        catch
        {
            foreach (var socket in sockets)
                socket.Dispose();

            // The trust bundle may already be on disk: a failed start leaves nothing behind.
            if (runtime.Interceptor is { } interceptor)
                await interceptor.DisposeAsync().ConfigureAwait(false);
            runtime.Dispose();
            throw;
        }
    }

    private static Socket Bind(ProxyConfig config)
    {
        if (!IPAddress.TryParse(config.BindAddress, out var address))
            throw new ProxyConfigException($"bind address '{config.BindAddress}' is not an IP address");
        Socket socket;
        try
        {
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        }
        catch (SocketException e)
        {
            // Seen when nono itself runs inside a sandbox or container that forbids TCP sockets.
            throw new ProxyStartException($"cannot create a TCP socket for the proxy: {e.SocketErrorCode} (is nono itself running in a sandbox without network access?)", e);
        }

        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.Bind(new IPEndPoint(address, config.BindPort));
            socket.Listen(1024);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ProxyStartException($"cannot listen on {config.BindAddress}:{config.BindPort}: {e.SocketErrorCode}; choose another port or bind address", e);
        }
    }

    private static void RequireLoopback(List<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            if (socket.LocalEndPoint is not IPEndPoint { Address: var address } || !IPAddress.IsLoopback(address))
            {
                throw new ProxyConfigException(
                    $"refusing to run without authentication on {socket.LocalEndPoint}: an open proxy must listen on loopback only; bind 127.0.0.1 or keep authentication on");
            }
        }
    }
}
