using Nono.Proxy.Filter;
using Nono.Proxy.Http;
using Nono.Proxy.Routing;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

/// <summary>Everything the connection handlers share for the life of one proxy.</summary>
internal sealed class ProxyRuntime : IDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationTokenSource _abort = new();

    public ProxyRuntime(ProxyConfig config, SessionToken token)
    {
        Config = config;
        Token = token;
        Audit = new AuditLog(config.AuditCapacity, token);
        Filter = new HostFilter(config);
        Connector = new UpstreamConnector(config);
        Http = new UpstreamHttp(config, Filter, Connector);
    }

    public ProxyConfig Config { get; }

    public SessionToken Token { get; }

    public AuditLog Audit { get; }

    public HostFilter Filter { get; }

    public UpstreamConnector Connector { get; }

    public UpstreamHttp Http { get; }

    /// <summary>Kept-alive upstream connections for plain-HTTP forwarding.</summary>
    public Http1Pool Http1Pool { get; } = new();

    public RouteTable Routes { get; set; } = null!;

    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>TLS interception, when configured (null: CONNECT tunnels are always opaque).</summary>
    public IConnectInterceptor? Interceptor { get; set; }

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
        Routes?.Dispose();
        Connector.Dispose();
        _shutdown.Dispose();
        _abort.Dispose();
    }
}
