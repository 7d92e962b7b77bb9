using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Pooled HTTP clients for forwarded and routed requests. Every new upstream connection is opened by
/// <see cref="ConnectAsync"/>, which runs the host filter and connects only to the addresses it
/// checked (or through the external proxy), so pooled HTTP traffic obeys the same rules as tunnels.
/// </summary>
internal sealed class UpstreamHttp : IDisposable
{
    private readonly HostFilter _filter;
    private readonly UpstreamConnector _connector;
    private readonly ProxyConfig _config;
    private readonly X509Certificate2Collection _extraRoots = [];
    private readonly List<HttpMessageInvoker> _owned = [];

    public UpstreamHttp(ProxyConfig config, HostFilter filter, UpstreamConnector connector)
    {
        _config = config;
        _filter = filter;
        _connector = connector;
        foreach (var path in config.TlsIntercept?.ExtraUpstreamRoots ?? [])
            Load(path, "trusted root", () => _extraRoots.ImportFromPemFile(path));
        Shared = Create(null);
    }

    /// <summary>The client for requests with no route-specific TLS settings.</summary>
    public HttpMessageInvoker Shared { get; }

    /// <summary>A client for a route: its own pool when it trusts an extra CA or presents a client certificate.</summary>
    public HttpMessageInvoker ForRoute(RouteConfig route) =>
        route.UpstreamCaPath is null && route.ClientCertificatePath is null ? Shared : Create(route);

    private HttpMessageInvoker Create(RouteConfig? route)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = _config.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            MaxResponseHeadersLength = 64,
            ConnectCallback = ConnectAsync,

            // The proxy forwards requests; it must not add tracing headers of its own to them.
            ActivityHeadersPropagator = null,
        };
        ConfigureTls(handler.SslOptions, route);
        var invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        _owned.Add(invoker);
        return invoker;
    }

    private void ConfigureTls(SslClientAuthenticationOptions ssl, RouteConfig? route)
    {
        var roots = new X509Certificate2Collection(_extraRoots);
        if (route?.UpstreamCaPath is { } ca)
            Load(ca, $"upstream CA of route {route.Prefix}", () => roots.ImportFromPemFile(ca));
        if (route?.ClientCertificatePath is { } certPath)
        {
            X509Certificate2? cert = null;
            Load(certPath, $"client certificate of route {route.Prefix}", () => cert = X509Certificate2.CreateFromPemFile(certPath, route.ClientKeyPath));
            ssl.ClientCertificates = [cert!];
        }

        if (roots.Count == 0)
            return;

        // Extra roots are trusted in addition to the system store, never instead of hostname checks.
        ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
                return true;
            if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0 || certificate is null)
                return false;
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            return custom.Build(new X509Certificate2(certificate));
        };
    }

    /// <summary>Turns an unreadable certificate file into a configuration error that names it.</summary>
    private static void Load(string path, string what, Action load)
    {
        try
        {
            load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ProxyConfigException($"cannot load the {what} from {path}: {e.Message}");
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var decision = await _filter.CheckAsync(endpoint.Host, endpoint.Port, ct).ConfigureAwait(false);
        if (!decision.Allowed)
            throw new HostDeniedException(decision);
        var link = await _connector.ConnectAsync(decision, endpoint.Port, ct).ConfigureAwait(false);
        if (!link.Leftover.IsEmpty)
        {
            link.Dispose();
            throw new UpstreamConnectException($"external proxy sent data before the request to {decision.Host}");
        }

        return new NetworkStream(link.Socket, ownsSocket: true);
    }

    public void Dispose()
    {
        foreach (var invoker in _owned)
            invoker.Dispose();
    }
}
