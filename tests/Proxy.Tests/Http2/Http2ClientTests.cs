using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.Http2;

/// <summary>
/// Real HTTP/2 clients (curl, .NET HttpClient, node's http2 module) through an intercepted tunnel,
/// configured only by what the proxy handle returns: the route's handling is the same as over HTTP/1.1.
/// </summary>
public sealed class Http2ClientTests
{
    // Node 20 ignores HTTPS_PROXY: the script opens the CONNECT tunnel itself, then speaks h2 inside it.
    private const string NodeHttp2 = """
        const http = require('http'), http2 = require('http2'), tls = require('tls');
        const t = new URL(process.argv[1]), p = new URL(process.env.HTTPS_PROXY), n = +process.argv[2];
        const auth = 'Basic ' + Buffer.from(decodeURIComponent(p.username) + ':' + decodeURIComponent(p.password)).toString('base64');
        const c = http.request({ host: p.hostname, port: p.port, method: 'CONNECT', path: t.hostname + ':' + t.port, headers: { 'Proxy-Authorization': auth } });
        c.on('connect', (res, socket) => {
          if (res.statusCode !== 200) { console.error('CONNECT ' + res.statusCode); process.exit(3); }
          const session = http2.connect(t.origin, { createConnection: () => tls.connect({ socket, servername: t.hostname, ALPNProtocols: ['h2'] }) });
          session.on('error', e => { console.error(e.message); process.exit(2); });
          let done = 0; const out = [];
          for (let i = 0; i < n; i++) {
            const r = session.request({ ':path': t.pathname, authorization: 'Bearer ' + process.env.SVC_API_KEY });
            let status, body = '';
            r.on('response', h => status = h[':status']);
            r.on('data', d => body += d);
            r.on('end', () => { out.push(status + ' ' + body); if (++done === n) { console.log(out.join('\n')); session.close(); } });
            r.end();
          }
        });
        c.on('error', e => { console.error(e.message); process.exit(4); });
        c.end();
        """;

    private static Task<CliResult> CurlAsync(InterceptSession s, params string[] args) =>
        Cli.RunAsync("curl", ["-sS", "--http2", "--max-time", "30", "-H", "Authorization: Bearer " + s.Proxy.Token, .. args], s.ChildEnv);

    private static HttpClient H2Client(InterceptSession s)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(s.Proxy.InterceptCaPath!);
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://127.0.0.1:{s.Proxy.Port}") { Credentials = new NetworkCredential("nono", s.Proxy.Token) },
            UseProxy = true,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
        {
            if (cert is null)
                return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == 0 && chain.Build(new X509Certificate2(cert));
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    private static HttpRequestMessage H2Request(HttpMethod method, string url, HttpContent? content = null) => new(method, url)
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Content = content,
    };

    [Fact]
    public async Task Curl_over_h2_gets_the_real_credential_injected_and_never_sees_it()
    {
        await using var s = await InterceptSession.StartAsync();

        var quiet = await CurlAsync(s, "-w", "\n%{http_version} %{http_code}", $"{s.Origin.Url}/v1/quiet");
        var echo = await CurlAsync(s, $"{s.Origin.Url}/v1/echo");

        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Equal("ok\n2 200", quiet.Stdout);
        Assert.DoesNotContain(s.Secret, quiet.Stdout + quiet.Stderr + echo.Stderr, StringComparison.Ordinal);
        Assert.All(s.Origin.Requests, r => Assert.Equal("Bearer " + s.Secret, r.Header("Authorization")));
        Assert.Contains(s.Proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Intercept, Status: 200, Route: "/svc", Path: "/v1/quiet" });
    }

    [Fact]
    public async Task Endpoint_rule_denies_over_h2_before_the_origin()
    {
        await using var s = await InterceptSession.StartAsync(c => c with
        {
            Routes = [c.Routes[0] with { EndpointRules = [new EndpointRule("GET", "/v1/**")] }],
        });

        var allowed = await CurlAsync(s, "-w", " %{http_version} %{http_code}", $"{s.Origin.Url}/v1/quiet");
        var denied = await CurlAsync(s, "-o", "/dev/null", "-w", "%{http_version} %{http_code}", $"{s.Origin.Url}/admin/quiet");
        var wrongMethod = await CurlAsync(s, "-X", "DELETE", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", $"{s.Origin.Url}/v1/quiet");

        Assert.Equal("ok 2 200", allowed.Stdout);
        Assert.Equal("2 403", denied.Stdout);
        Assert.Equal("2 403", wrongMethod.Stdout);
        Assert.Equal("/v1/quiet", Assert.Single(s.Origin.Requests).Target);
    }

    [Fact]
    public async Task Wrong_phantom_token_over_h2_is_refused_before_the_origin()
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await Cli.RunAsync("curl", ["-s", "--http2", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "-H", "Authorization: Bearer sk-guess", $"{s.Origin.Url}/v1/quiet"], s.ChildEnv);

        Assert.Equal("2 401", result.Stdout);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Httpclient_h2_runs_concurrent_streams_on_one_tunnel()
    {
        await using var s = await InterceptSession.StartAsync();
        using var client = H2Client(s);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = H2Request(HttpMethod.Get, $"{s.Origin.Url}/v{i}/quiet");
            request.Headers.Authorization = new("Bearer", s.Proxy.Token);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.Version, response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        Assert.All(responses, r => Assert.Equal((HttpVersion.Version20, HttpStatusCode.OK, "ok"), r));
        Assert.Equal(40, s.Origin.Requests.Count);
        Assert.All(s.Origin.Requests, r => Assert.Equal("Bearer " + s.Secret, r.Header("Authorization")));
        Assert.Single(s.Proxy.DrainAuditEvents(), e => e is { Method: "CONNECT", Status: 200 });
    }

    [Fact]
    public async Task Large_upload_and_download_stream_through_h2_flow_control()
    {
        await using var s = await InterceptSession.StartAsync();
        using var client = H2Client(s);
        var upload = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);

        using var post = H2Request(HttpMethod.Post, $"{s.Origin.Url}/v1/upload-quiet", new ByteArrayContent(upload));
        post.Headers.Authorization = new("Bearer", s.Proxy.Token);
        using var posted = await client.SendAsync(post, TestContext.Current.CancellationToken);
        using var get = H2Request(HttpMethod.Get, $"{s.Origin.Url}/bytes/{24 * 1024 * 1024}");
        get.Headers.Authorization = new("Bearer", s.Proxy.Token);
        using var got = await client.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        long downloaded = 0;
        await using (var body = await got.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken))
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
                downloaded += n;
        }

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpVersion.Version20, got.Version);
        Assert.Equal(24L * 1024 * 1024, downloaded);
        var received = s.Origin.Requests.First(r => r.Method == "POST");
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(received.Body));
    }

    [Fact]
    public async Task Curl_downloads_a_large_body_over_h2()
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await CurlAsync(s, "-o", "/dev/null", "-w", "%{http_version} %{http_code} %{size_download}", $"{s.Origin.Url}/bytes/{16 * 1024 * 1024}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"2 200 {16 * 1024 * 1024}", result.Stdout);
    }

    [Fact]
    public async Task Node_http2_streams_get_the_real_credential_injected()
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await Cli.RunAsync("node", ["-e", NodeHttp2, $"{s.Origin.Url}/v1/quiet", "5"], s.ChildEnv);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Enumerable.Repeat("200 ok", 5), result.Stdout.Trim().Split('\n'));
        Assert.Equal(5, s.Origin.Requests.Count);
        Assert.All(s.Origin.Requests, r => Assert.Equal("Bearer " + s.Secret, r.Header("Authorization")));
    }

    [Fact]
    public async Task With_http2_turned_off_clients_are_offered_http11_only()
    {
        await using var s = await InterceptSession.StartAsync(c => c with { TlsIntercept = c.TlsIntercept! with { Http2 = false } });

        var result = await CurlAsync(s, "-w", " %{http_version} %{http_code}", $"{s.Origin.Url}/v1/quiet");

        Assert.Equal("ok 1.1 200", result.Stdout);
    }
}
