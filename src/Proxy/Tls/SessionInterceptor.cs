using System.Net.Security;
using System.Security.Cryptography;
using Nono.Proxy.Routing;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Tls;

/// <summary>
/// The proxy's TLS interception for one session: the session CA (in memory only), its leaf cache, the
/// trust bundle on disk, and the rule for which CONNECTs are intercepted: those to a route's https
/// upstream that must see the request (a credential to inject, or endpoint rules to enforce), or every
/// CONNECT when <see cref="TlsInterceptConfig.InterceptAll"/> is set. Every other tunnel stays end-to-end TLS.
/// </summary>
internal sealed class SessionInterceptor : IConnectInterceptor
{
    private readonly TlsInterceptConfig _config;
    private readonly RouteTable _routes;
    private readonly SessionCertificateAuthority _ca;
    private readonly LeafCertificateCache _leaves;
    private readonly TrustBundle _bundle;
    private readonly TlsInterceptor _interceptor;
    private volatile bool _bundleDeleted;

    private SessionInterceptor(TlsInterceptConfig config, RouteTable routes, SessionCertificateAuthority ca, TrustBundle bundle)
    {
        _config = config;
        _routes = routes;
        _ca = ca;
        _bundle = bundle;
        _leaves = new LeafCertificateCache(new LeafCertificateMinter(ca));
        _interceptor = new TlsInterceptor(ca, _leaves, new TlsInterceptOptions
        {
            ApplicationProtocols = config.Http2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
        });
    }

    public string? CaPath => _bundleDeleted ? null : _bundle.Path;

    /// <summary>Why the CA carries no name constraints although they were asked for; null when it does (or they were off).</summary>
    public string? NameConstraintsNotAppliedReason => _ca.NameConstraintsNotAppliedReason;

    /// <summary>
    /// Mints the CA (name-constrained to the allowlist and the routes' upstream hosts, unless every host is
    /// allowed) and writes the trust bundle. Nothing is left on disk when this throws.
    /// </summary>
    /// <param name="caKeyFactory">Test seam: supplies the CA key so a test can look for it on disk.</param>
    /// <exception cref="TlsConfigurationException">The CA settings are invalid.</exception>
    /// <exception cref="TrustBundleException">The bundle could not be written.</exception>
    public static SessionInterceptor Create(ProxyConfig config, RouteTable routes, Func<ECDsa>? caKeyFactory = null)
    {
        var tls = config.TlsIntercept ?? throw new ArgumentException("TLS interception is not configured", nameof(config));
        var allowsEveryHost = config.AllowedHosts.Count == 0 && !config.DenyUnlistedHosts;
        IEnumerable<string> permitted = allowsEveryHost
            ? []
            : config.AllowedHosts.Concat(routes.Routes.Select(r => r.Upstream.IdnHost)).Distinct(StringComparer.OrdinalIgnoreCase);

        var ca = SessionCertificateAuthority.Create(tls, permitted, time: null, caKeyFactory);
        try
        {
            var bundle = TrustBundle.Create(ca, tls);
            return new SessionInterceptor(tls, routes, ca, bundle);
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    public bool ShouldIntercept(string host, int port)
    {
        if (_config.InterceptAll)
            return true;
        return _routes.MatchHost(Uri.UriSchemeHttps, host, port) is { } route
            && (route.NeedsCredential || route.Config.EndpointRules.Count > 0);
    }

    public async ValueTask<Stream> AcceptAsync(Stream client, string host, int port, CancellationToken ct)
    {
        var result = await _interceptor.AcceptAsync(client, host, port, ct).ConfigureAwait(false);
        if (result.Failure is { } failure)
            throw new InterceptRefusedException(failure.AuditReason, failure.Detail);
        return result.Stream!;
    }

    public void DeleteTrustBundle()
    {
        _bundleDeleted = true;
        _bundle.Delete();
    }

    public ValueTask DisposeAsync()
    {
        DeleteTrustBundle();
        _leaves.Dispose();
        _ca.Dispose();
        return ValueTask.CompletedTask;
    }
}
