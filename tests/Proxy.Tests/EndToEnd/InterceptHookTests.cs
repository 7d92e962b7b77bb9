using System.Net.Security;
using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// The CONNECT interception seam: with an interceptor plugged in, requests inside the client's TLS
/// tunnel run through the same request loop and route handling, and go upstream over TLS.
/// </summary>
public sealed class InterceptHookTests
{
    private sealed class TestInterceptor(string host, string caPath) : IConnectInterceptor
    {
        public string? CaPath => caPath;

        public bool ShouldIntercept(string h, int port) => h == host;

        public async ValueTask<Stream> AcceptAsync(Stream client, string h, int port, CancellationToken ct)
        {
            var ssl = new SslStream(client, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = TestCertificates.Localhost }, ct);
            return ssl;
        }

        public void DeleteTrustBundle()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Intercepted_request_gets_the_route_credential_and_reaches_the_tls_upstream()
    {
        await using var origin = new OriginServer(TestCertificates.Localhost);
        var (reference, secret) = RouteTests.Secret();
        var pem = Path.GetTempFileName();
        await File.WriteAllTextAsync(pem, TestCertificates.Localhost.ExportCertificatePem(), TestContext.Current.CancellationToken);
        try
        {
            var config = Proxies.Loopback(c => c with
            {
                Routes = [new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference }],
                TlsIntercept = new TlsInterceptConfig { ExtraUpstreamRoots = [pem] },
            });
            await using var proxy = await ProxyServer.StartAsync(config, null, TestContext.Current.CancellationToken, () => new TestInterceptor(OriginServer.Host, pem));

            var ok = await Cli.RunAsync("curl", ["-sS", "-k", "--max-time", "20", "-H", $"Authorization: Bearer {proxy.Token}", $"{origin.Url}/v1/quiet"], proxy.EnvVars());
            var wrong = await Cli.RunAsync("curl", ["-s", "-k", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer nope", $"{origin.Url}/v1/quiet"], proxy.EnvVars());

            Assert.True(ok.ExitCode == 0, ok.ToString());
            Assert.Equal("ok", ok.Stdout);
            Assert.Equal("401", wrong.Stdout);
            var seen = Assert.Single(origin.Requests);
            Assert.Equal("Bearer " + secret, seen.Header("Authorization"));
            Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Intercept, Status: 200, Route: "/svc", Path: "/v1/quiet" });
            Assert.Contains("tls-intercept on", Assert.Single(proxy.RouteDiagnostics(config)));
            Assert.Equal(pem, proxy.InterceptCaPath);
            Assert.Contains(new KeyValuePair<string, string>("SSL_CERT_FILE", pem), proxy.EnvVars());
        }
        finally
        {
            File.Delete(pem);
        }
    }
}
