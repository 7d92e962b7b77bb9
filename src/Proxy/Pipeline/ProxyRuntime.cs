using Nono.Proxy.Filter;
using Nono.Proxy.Http;
using Nono.Proxy.Routing;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// Everything the connection handlers share for the life of one proxy. Built once, complete, by
/// <see cref="CreateAsync"/>: nothing in it is set after the first connection is accepted.
/// </summary>
internal sealed partial class ProxyRuntime : IDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _abort = new();

    private ProxyRuntime(ProxyConfig config, SessionToken token, UpstreamServices upstream, RouteTable routes, IConnectInterceptor? interceptor, Shared? shared)
    {
        Config = config;
        Token = token;
        Metrics = shared?.Metrics ?? new ProxyMetrics();
        Audit = shared?.Audit ?? new AuditLog(config.AuditCapacity, token, Metrics);
        RateLimits = new RateLimiter(config.RateLimits, () => Environment.TickCount64);
        Filter = upstream.Filter;
        Connector = upstream.Connector;
        Http = upstream.Http;
        Routes = routes;
        HostEndpoints = new HostEndpointTable(config.HostEndpoints);
        Interceptor = interceptor;
    }

    /// <summary>The filter, connector and pooled clients, which the routes need before the runtime exists.</summary>
    internal sealed record UpstreamServices(HostFilter Filter, UpstreamConnector Connector, UpstreamHttp Http) : IDisposable
    {
        public static UpstreamServices Create(ProxyConfig config)
        {
            var filter = new HostFilter(config);
            var connector = new UpstreamConnector(config);
            return new UpstreamServices(filter, connector, new UpstreamHttp(config, filter, connector));
        }

        public void Dispose()
        {
            Http.Dispose();
            Connector.Dispose();
        }
    }

    /// <summary>
    /// Loads the routes and their credentials and sets up interception with <paramref name="interceptor"/>
    /// (given the loaded routes; null for opaque tunnels). On failure everything built so far is released.
    /// </summary>
    public static async ValueTask<ProxyRuntime> CreateAsync(
        ProxyConfig config, SessionToken token, Func<RouteTable, IConnectInterceptor?> interceptor, CancellationToken ct, Shared? shared = null)
    {
        var upstream = UpstreamServices.Create(config);
        RouteTable? routes = null;
        try
        {
            routes = await RouteTable.LoadAsync(config, upstream.Filter, upstream.Http, ct).ConfigureAwait(false);
            return new ProxyRuntime(config, token, upstream, routes, interceptor(routes), shared);
        }
        catch
        {
            routes?.Dispose();
            upstream.Dispose();
            throw;
        }
    }

    public ProxyConfig Config { get; }

    public SessionToken Token { get; }

    public AuditLog Audit { get; }

    public HostFilter Filter { get; }

    public UpstreamConnector Connector { get; }

    public UpstreamHttp Http { get; }

    /// <summary>Kept-alive upstream connections for plain-HTTP forwarding.</summary>
    public Http1Pool Http1Pool { get; } = new();

    public RouteTable Routes { get; }

    /// <summary>Method and path rules of hosts that are not credential routes.</summary>
    public HostEndpointTable HostEndpoints { get; }

    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>TLS interception, when configured (null: CONNECT tunnels are always opaque).</summary>
    public IConnectInterceptor? Interceptor { get; }

    /// <summary>Cancelled when shutdown starts: stop accepting, close idle connections.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Cancelled when the grace period is over: abort everything still running.</summary>
    public CancellationToken AbortToken => _abort.Token;

    public bool ShuttingDown => _shutdown.IsCancellationRequested;

    public bool IsAuthorized(RequestHead head) =>
        !Config.RequireAuth || Token.MatchesProxyAuthorization(head.Get("Proxy-Authorization"));

    public void BeginShutdown() => _shutdown.Cancel();

    public void Abort()
    {
        _shutdown.Cancel();
        _abort.Cancel();
    }

    public void Dispose()
    {
        Http.Dispose();
        Http1Pool.Dispose();
        Routes.Dispose();
        Connector.Dispose();
        _shutdown.Dispose();
        _abort.Dispose();
    }
}
