using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// The phantom (session) token never leaves the proxy in a URL: a request target that carries it, in any
/// letter case or encoding, is refused with 403 on every path (route, forward, intercepted, CONNECT) and
/// audited without the token, except where a route's inject mode replaces it with the real key.
/// </summary>
public sealed class TokenInUrlTests
{
    private static string Encode(string token) => string.Concat(token.Select(c => $"%{(int)c:X2}"));

    private static void AssertRefusedAndAudited(ProxyHandle proxy, CliResult result)
    {
        Assert.EndsWith("\n403", result.Stdout);
        Assert.Contains("the request URL contains the session token", result.Stdout);
        var events = proxy.DrainAuditEvents();
        var refusal = Assert.Single(events, e => e.Status == 403);
        Assert.Null(refusal.Path);
        Assert.All(events, e => Assert.DoesNotContain(proxy.Token, $"{e.Target} {e.Path} {e.Reason}", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/v1/quiet?k={0}")]
    [InlineData("/v1/quiet?k={1}")]
    [InlineData("/v1/{2}/quiet")]
    [InlineData("/v1/quiet?k={3}")]
    public async Task Phantom_in_the_url_of_a_header_mode_route_is_refused_and_never_forwarded(string pathFormat)
    {
        await using var origin = new OriginServer();
        var (reference, _) = RouteTests.Secret();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { Routes = [new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference }] }));
        var token = proxy.Token;
        var path = string.Format(pathFormat, token, token.ToUpperInvariant(), Encode(token), Encode(token).Replace("%", "%25"));

        var result = await Cli.Curl("-w", "\n%{http_code}", "-H", $"Authorization: Bearer {token}", $"http://127.0.0.1:{proxy.Port}/svc{path}");

        AssertRefusedAndAudited(proxy, result);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Second_copy_of_the_phantom_beside_a_url_path_credential_is_refused()
    {
        await using var origin = new OriginServer();
        var (reference, _) = RouteTests.Secret();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with
        {
            Routes = [new RouteConfig { Prefix = "/telegram", Upstream = origin.Url, CredentialKey = reference, InjectMode = InjectMode.UrlPath, PathPattern = "/bot{}/" }],
        }));

        var result = await Cli.Curl("-w", "\n%{http_code}", $"http://127.0.0.1:{proxy.Port}/telegram/bot{proxy.Token}/quiet?copy={proxy.Token}");

        AssertRefusedAndAudited(proxy, result);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Phantom_in_a_forward_request_url_is_refused()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var result = await Cli.Curl("-w", "\n%{http_code}", "-x", $"http://127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}", $"{origin.Url}/search?q={proxy.Token}");

        AssertRefusedAndAudited(proxy, result);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Phantom_in_an_intercepted_route_request_url_is_refused()
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}", "-H", "Authorization: Bearer " + s.Proxy.Token,
            $"{s.Origin.Url}/v1/quiet?k={s.Proxy.Token}"], s.ChildEnv);

        AssertRefusedAndAudited(s.Proxy, result);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Phantom_in_an_intercepted_request_url_without_a_route_is_refused()
    {
        await using var s = await InterceptSession.StartAsync(c => c with { Routes = [], TlsIntercept = c.TlsIntercept! with { InterceptAll = true } });

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}", $"{s.Origin.Url}/page?k={s.Proxy.Token}"], s.ChildEnv);

        Assert.EndsWith("\n403", result.Stdout);
        Assert.Contains("the request URL contains the session token", result.Stdout);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Phantom_in_a_connect_target_is_refused()
    {
        await using var proxy = await Proxies.StartAsync();

        var response = await Proxies.RawAsync(proxy.Port,
            $"CONNECT {proxy.Token}.example.com:443 HTTP/1.1\r\nHost: x\r\nProxy-Authorization: {Proxies.BasicAuth(proxy.Token)}\r\n\r\n", TimeSpan.FromSeconds(3));

        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.Contains("the request URL contains the session token", response);
    }
}
