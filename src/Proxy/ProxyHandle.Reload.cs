using Nono.Proxy.Pipeline;

namespace Nono.Proxy;

/// <summary>Reloading the configuration of a running proxy, and what an operator observes of it.</summary>
public sealed partial class ProxyHandle
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly List<ProxyRuntime> _retired = [];

    /// <summary>
    /// Replaces the configuration for new connections: allowlists, routes (their credentials are loaded
    /// again, so a rotated key file takes effect), rate limits, upstream proxy and timeouts. Connections
    /// already open keep the configuration they started with until they end: tunnels and requests in flight
    /// run on, idle kept-alive connections are closed so their clients reconnect to the new one. What is
    /// fixed at start stays: listeners, authentication, the token, the connection limits. On failure the
    /// previous configuration stays in force and the failure is counted and audited (<see cref="RecordReloadFailure"/>).
    /// </summary>
    /// <exception cref="ProxyConfigException">The new configuration is invalid, or changes TLS interception.</exception>
    public async ValueTask ReloadAsync(ProxyConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Runtime;
            var next = config with
            {
                BindAddress = current.Config.BindAddress,
                BindPort = current.Config.BindPort,
                BindOwnListener = current.Config.BindOwnListener,
                ListenSockets = [],
                RequireAuth = current.Config.RequireAuth,
                FixedToken = current.Config.FixedToken,
                MaxConnections = current.Config.MaxConnections,
                MaxConnectionsPerPeer = current.Config.MaxConnectionsPerPeer,
                AuditCapacity = current.Config.AuditCapacity,
            };
            ProxyRuntime runtime;
            try
            {
                // The session CA is minted once and clients trust its bundle: it cannot change under them.
                if (current.Config.TlsIntercept is not null || next.TlsIntercept is not null)
                    throw new ProxyConfigException("TLS interception is on (or being turned on): its CA cannot change while clients trust it; restart the proxy to change this configuration");
                ConfigValidator.Validate(next);
                runtime = await ProxyRuntime.CreateAsync(next, current.Token, _ => null, cancellationToken, current.SharedState).ConfigureAwait(false);
            }
            catch (ProxyConfigException e)
            {
                RecordReloadFailure(e.Message);
                throw;
            }

            if (Volatile.Read(ref _shuttingDown) != 0)
            {
                runtime.Release();
                throw new ObjectDisposedException(nameof(ProxyHandle), "the proxy is shutting down");
            }

            lock (_retired)
            {
                _retired.RemoveAll(r => r.IsReleased);
                _retired.Add(current);
            }
            _listener.Swap(runtime);
            runtime.Metrics.ReloadSucceeded();
            runtime.Audit.Add(new NetworkAuditEvent { Mode = AuditMode.Reload, Decision = AuditDecision.Allow, Reason = "configuration reloaded" });
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>
    /// Records a reload that failed before a configuration could be built (a profile that does not parse):
    /// the reload failure metric and a Deny audit event in mode <c>reload</c> with <paramref name="reason"/>.
    /// </summary>
    public void RecordReloadFailure(string reason)
    {
        Runtime.Metrics.ReloadFailed();
        Runtime.Audit.Add(new NetworkAuditEvent { Mode = AuditMode.Reload, Decision = AuditDecision.Deny, Reason = "reload failed, previous configuration kept: " + reason });
    }

    /// <summary>True from start until <see cref="Shutdown"/>: what a readiness probe reports.</summary>
    public bool Serving => Volatile.Read(ref _shuttingDown) == 0;

    /// <summary>Connections open now, on the current configuration and on earlier ones.</summary>
    public int OpenConnections => _listener.OpenConnections;

    /// <summary>The metrics in the Prometheus text format (no secret, token or client-supplied value in any of them).</summary>
    public string MetricsText()
    {
        var routes = Runtime.Routes.Routes
            .Select(r => new PrometheusText.RouteStatus(r.Prefix, r.CredentialReady))
            .ToList();
        return PrometheusText.Render(_listener.MetricsSnapshot(), routes, Serving, !Serving);
    }

    /// <summary>Waits for open connections to finish by themselves, up to <paramref name="timeout"/> (after <see cref="Shutdown"/>).</summary>
    public Task DrainAsync(TimeSpan timeout) => _listener.WaitAsync(timeout);

    private List<ProxyRuntime> RetiredRuntimes()
    {
        lock (_retired)
            return [.. _retired];
    }
}
