using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// The path a credential route checks is the path its origin gets: separators and dot segments hidden
/// behind backslashes or percent-encoding are refused on every way into a route, and what is allowed
/// reaches the origin byte for byte.
/// </summary>
public sealed class RoutePathTests
{
    private static readonly EndpointRule[] V1Only = [new("*", "/v1/*")];

    private static async Task<(OriginServer Origin, ProxyHandle Proxy)> StartAsync()
    {
        var origin = new OriginServer();
        var (reference, _) = RouteTests.Secret();
        var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with
        {
            Routes = [new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference, EndpointRules = V1Only }],
        }));
        return (origin, proxy);
    }

    [Fact]
    public async Task Backslash_traversal_on_a_route_is_400_and_never_reaches_the_origin()
    {
        var (origin, proxy) = await StartAsync();
        await using var _ = origin;
        await using var __ = proxy;

        var result = await Cli.Curl("--path-as-is", "-w", "\n%{http_code}", "-H", $"Authorization: Bearer {proxy.Token}",
            $"http://127.0.0.1:{proxy.Port}/svc/v1/..\\..\\admin");

        Assert.EndsWith("\n400", result.Stdout);
        Assert.Contains("backslash in path refused", result.Stdout);
        Assert.Empty(origin.Requests);
    }

    [Theory]
    [InlineData("/svc/v1/..%2F..%2Fadmin")]
    [InlineData("/svc/v1/..%2f..%2fadmin")]
    [InlineData("/svc/v1/..%5C..%5Cadmin")]
    [InlineData("/svc/v1/..%5c..%5cadmin")]
    [InlineData("/svc/v1/a%252Fb")]
    [InlineData("/svc/v1/%252e%252e/admin")]
    [InlineData("/svc/v1/%25252E%25252E/admin")]
    [InlineData("/svc/v1/%2e/quiet")]
    [InlineData("/svc/v1/%252e/quiet")]
    [InlineData("/svc/v1/..;/..;/admin")]
    [InlineData("/svc/v1/%2e%2e;x/%2e%2e;x/admin")]
    public async Task Encoded_separators_and_dot_segments_on_a_route_are_400(string path)
    {
        var (origin, proxy) = await StartAsync();
        await using var _ = origin;
        await using var __ = proxy;

        var result = await Cli.Curl("--path-as-is", "-w", "\n%{http_code}", "-H", $"Authorization: Bearer {proxy.Token}", $"http://127.0.0.1:{proxy.Port}{path}");

        Assert.EndsWith("\n400", result.Stdout);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Backslash_traversal_in_an_absolute_form_request_to_a_route_upstream_is_400()
    {
        var (origin, proxy) = await StartAsync();
        await using var _ = origin;
        await using var __ = proxy;

        var result = await Cli.Curl("--path-as-is", "-w", "\n%{http_code}", "-x", $"http://127.0.0.1:{proxy.Port}", "--proxy-user", $"nono:{proxy.Token}",
            "-H", $"Authorization: Bearer {proxy.Token}", $"{origin.Url}/v1/..\\..\\admin");

        Assert.EndsWith("\n400", result.Stdout);
        Assert.Empty(origin.Requests);
    }

    [Theory]
    [InlineData("/v1/..\\..\\admin", "--http1.1")]
    [InlineData("/v1/..\\..\\admin", "--http2")]
    [InlineData("/v1/..%2F..%2Fadmin", "--http2")]
    public async Task Traversal_inside_an_intercepted_tunnel_is_400(string path, string version)
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", version, "--path-as-is", "-w", "\n%{http_code}",
            "-H", "Authorization: Bearer " + s.Proxy.Token, s.Origin.Url + path], s.ChildEnv);

        Assert.EndsWith("\n400", result.Stdout);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Route_path_and_query_reach_the_origin_exactly_as_checked()
    {
        var (origin, proxy) = await StartAsync();
        await using var _ = origin;
        await using var __ = proxy;

        // Characters a URI library would re-escape ('|' '^' '{') and an escape it would decode (%41):
        // the origin must get them as the client sent them, which is what the endpoint rule was checked against.
        var response = await Proxies.RawAsync(proxy.Port,
            $"GET /svc/v1/a|b%41{{c}}?q=^|x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.Equal("/v1/a|bA{c}?q=^|x", Assert.Single(origin.Requests).Target);
    }
}
