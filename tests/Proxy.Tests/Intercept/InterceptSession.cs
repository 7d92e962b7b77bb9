using Nono.Proxy.Tests.EndToEnd;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>
/// An HTTPS origin with its own CA, a proxy with TLS interception whose session directory lives in a
/// private temporary root, and a credential route to the origin.
/// </summary>
internal sealed class InterceptSession : IAsyncDisposable
{
    private InterceptSession(OriginPki pki, OriginServer origin, string root, string secret, ProxyConfig config, ProxyHandle proxy)
    {
        Pki = pki;
        Origin = origin;
        SessionRoot = root;
        Secret = secret;
        Config = config;
        Proxy = proxy;
    }

    public OriginPki Pki { get; }

    public OriginServer Origin { get; }

    /// <summary>Root under which the proxy creates its 0700 session directory.</summary>
    public string SessionRoot { get; }

    public string Secret { get; }

    public ProxyConfig Config { get; }

    public ProxyHandle Proxy { get; }

    /// <summary>Everything the handle tells a child: proxy and trust variables, base URLs and phantom token.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ChildEnv => [.. Proxy.EnvVars(), .. Proxy.CredentialEnvVars(Config)];

    public static async Task<InterceptSession> StartAsync(Func<ProxyConfig, ProxyConfig>? configure = null, Func<System.Security.Cryptography.ECDsa>? caKey = null)
    {
        var pki = new OriginPki();
        var origin = new OriginServer(OriginPki.Leaf);
        var root = Directory.CreateTempSubdirectory("nono-intercept-root-").FullName;
        var (reference, secret) = RouteTests.Secret();
        var config = Proxies.Loopback(c => c with
        {
            Routes = [new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference, EnvVar = InterceptClients.TokenVariable }],
            TlsIntercept = new TlsInterceptConfig { ExtraUpstreamRoots = [pki.CaPemPath], SessionDirectoryRoot = root },
        });
        if (configure is not null)
            config = configure(config);
        var proxy = await ProxyServer.StartAsync(config, caKey, TestContext.Current.CancellationToken);
        return new InterceptSession(pki, origin, root, secret, config, proxy);
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Origin.DisposeAsync();
        Pki.Dispose();
        Directory.Delete(SessionRoot, recursive: true);
    }
}
