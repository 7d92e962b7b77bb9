using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>Reverse credential routes: the client holds the phantom token, the origin gets the real key.</summary>
public sealed class RouteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Puts a fresh secret in an environment variable and returns (reference, secret).</summary>
    internal static (string Reference, string Secret) Secret()
    {
        var name = "NONO_TEST_KEY_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var secret = "sk-real-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, secret);
        return ("env://" + name, secret);
    }

    private static async Task<(ProxyHandle Proxy, ProxyConfig Config)> StartAsync(RouteConfig route)
    {
        var config = Proxies.Loopback(c => c with { Routes = [route] });
        return (await Proxies.StartAsync(config), config);
    }

    [Fact]
    public async Task Header_mode_with_python_sdk_style_env_vars()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = Secret();
        var (proxy, config) = await StartAsync(new RouteConfig { Prefix = "/openai", Upstream = origin.Url + "/base", CredentialKey = reference, EnvVar = "OPENAI_API_KEY" });
        await using var _ = proxy;
        const string script = """
            import os, requests
            r = requests.post(os.environ["OPENAI_BASE_URL"] + "/v1/quiet?stream=true", json={"a": 1},
                              headers={"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}, timeout=20)
            print(r.status_code, r.text)
            """;

        var env = proxy.EnvVars().Concat(proxy.CredentialEnvVars(config)).ToList();
        var result = await Cli.PythonScript(script, env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("200 ok", result.Stdout.Trim());
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("/base/v1/quiet?stream=true", seen.Target);
        Assert.Equal("Bearer " + secret, seen.Header("Authorization"));
        Assert.DoesNotContain(env, kv => kv.Value.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(new KeyValuePair<string, string>("OPENAI_API_KEY", proxy.Token), env);
    }

    [Fact]
    public async Task Custom_header_mode_with_curl()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/anthropic", Upstream = origin.Url, CredentialKey = reference, InjectHeader = "x-api-key", CredentialFormat = "{}" });
        await using var __ = proxy;

        var result = await Cli.Curl("-H", $"x-api-key: {proxy.Token}", "-H", $"Authorization: Bearer {proxy.Token}", $"http://127.0.0.1:{proxy.Port}/anthropic/v1/messages/quiet");

        Assert.Equal("ok", result.Stdout);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal(secret, seen.Header("x-api-key"));
        Assert.DoesNotContain(proxy.Token, seen.Raw); // the stray phantom in Authorization never leaves the proxy
    }

    [Fact]
    public async Task Url_path_mode_replaces_the_phantom_in_the_path()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig
        {
            Prefix = "/telegram", Upstream = origin.Url, CredentialKey = reference, InjectMode = InjectMode.UrlPath, PathPattern = "/bot{}/",
        });
        await using var __ = proxy;

        var result = await Cli.Curl("-i", $"http://127.0.0.1:{proxy.Port}/telegram/bot{proxy.Token}/quiet");

        Assert.EndsWith("\r\n\r\nok", result.Stdout);
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal($"/bot{secret}/quiet", Assert.Single(origin.Requests).Target);
        Assert.DoesNotContain(proxy.DrainAuditEvents(), e => (e.Path ?? "").Contains(proxy.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_param_mode_replaces_the_phantom_in_the_query()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig
        {
            Prefix = "/gemini", Upstream = origin.Url, CredentialKey = reference, InjectMode = InjectMode.QueryParam, QueryParamName = "key",
        });
        await using var __ = proxy;
        const string script = "import sys, urllib.request\nr = urllib.request.urlopen(sys.argv[1], timeout=20)\nprint(r.headers.as_string())\nprint(r.read().decode())";

        var result = await Cli.PythonScript(script, null, $"http://127.0.0.1:{proxy.Port}/gemini/v1/quiet?alt=json&key={proxy.Token}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("\nok", result.Stdout.Trim());
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal($"/v1/quiet?alt=json&key={secret}", Assert.Single(origin.Requests).Target);
    }

    [Fact]
    public async Task Basic_auth_mode_replaces_the_phantom_password()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/registry", Upstream = origin.Url, CredentialKey = reference, InjectMode = InjectMode.BasicAuth });
        await using var __ = proxy;

        var result = await Cli.Curl("-i", "-u", $"deploy:{proxy.Token}", $"http://127.0.0.1:{proxy.Port}/registry/v2/quiet");

        Assert.EndsWith("\r\n\r\nok", result.Stdout);
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"deploy:{secret}"));
        Assert.Equal(expected, Assert.Single(origin.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData("Authorization: Bearer wrong")]
    [InlineData("Authorization: Basic abc")]
    [InlineData("X-Other: 1")]
    public async Task Wrong_or_missing_phantom_is_401_and_never_forwarded(string header)
    {
        await using var origin = new OriginServer();
        var (reference, _) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/openai", Upstream = origin.Url, CredentialKey = reference });
        await using var __ = proxy;

        var result = await Cli.Curl("-o", "/dev/null", "-w", "%{http_code}", "-H", header, $"http://127.0.0.1:{proxy.Port}/openai/v1/x");

        Assert.Equal("401", result.Stdout);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Missing_credential_is_503_and_a_cross_in_diagnostics()
    {
        await using var origin = new OriginServer();
        var config = Proxies.Loopback(c => c with
        {
            Routes = [new RouteConfig { Prefix = "/openai", Upstream = origin.Url, CredentialKey = "env://NONO_TEST_UNSET_VARIABLE", EnvVar = "OPENAI_API_KEY" }],
        });
        await using var proxy = await Proxies.StartAsync(config);

        var result = await Cli.Curl("-w", "\n%{http_code}", "-H", $"Authorization: Bearer {proxy.Token}", $"http://127.0.0.1:{proxy.Port}/openai/v1/x");

        Assert.EndsWith("503", result.Stdout);
        Assert.Contains("credential for route /openai is not available", result.Stdout);
        Assert.Empty(origin.Requests);
        var line = Assert.Single(proxy.RouteDiagnostics(config));
        Assert.Contains("credential ✗ env://NONO_TEST_UNSET_VARIABLE", line);
        Assert.Empty(proxy.CredentialEnvVars(config));
    }

    [Fact]
    public async Task Endpoint_rules_allow_listed_endpoints_and_refuse_others_with_403()
    {
        await using var origin = new OriginServer();
        var (reference, _) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig
        {
            Prefix = "/gh", Upstream = origin.Url, CredentialKey = reference,
            EndpointRules = [new EndpointRule("GET", "/repos/*/*/quiet"), new EndpointRule("POST", "/graphql")],
        });
        await using var __ = proxy;
        var auth = $"Authorization: Bearer {proxy.Token}";

        var allowed = await Cli.Curl("-w", " %{http_code}", "-H", auth, $"http://127.0.0.1:{proxy.Port}/gh/repos/o/r/quiet");
        var wrongMethod = await Cli.Curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", "-H", auth, $"http://127.0.0.1:{proxy.Port}/gh/repos/o/r/quiet");
        var wrongPath = await Cli.Curl("-o", "/dev/null", "-w", "%{http_code}", "-H", auth, $"http://127.0.0.1:{proxy.Port}/gh/user/keys");

        Assert.Equal("ok 200", allowed.Stdout);
        Assert.Equal("403", wrongMethod.Stdout);
        Assert.Equal("403", wrongPath.Stdout);
        Assert.Single(origin.Requests);
    }

    [Theory]
    [InlineData("/openai/v1/../../admin", 400)]
    [InlineData("/openai/v1/%2e%2e/x", 400)]
    [InlineData("/openaix/v1", 404)]
    [InlineData("/other", 404)]
    public async Task Traversal_is_400_and_prefix_matches_on_segment_boundary(string path, int status)
    {
        await using var origin = new OriginServer();
        var (reference, _) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/openai", Upstream = origin.Url, CredentialKey = reference });
        await using var __ = proxy;

        var response = await Proxies.RawAsync(proxy.Port, $"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith($"HTTP/1.1 {status}", response);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Prefix_alone_and_normalized_paths_reach_the_route()
    {
        await using var origin = new OriginServer();
        var (reference, _) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/openai", Upstream = origin.Url + "/api/", CredentialKey = reference });
        await using var __ = proxy;
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("Authorization", "Bearer " + proxy.Token);

        await client.GetStringAsync($"http://127.0.0.1:{proxy.Port}/openai", Ct);
        var raw = await Proxies.RawAsync(proxy.Port, $"GET /openai//v1/./%6Dodels HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {proxy.Token}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", raw);
        Assert.Equal(["/api", "/api/v1/models"], origin.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Forward_request_to_a_route_upstream_gets_the_credential()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference });
        await using var __ = proxy;
        using var client = Proxies.Client(proxy);
        client.DefaultRequestHeaders.Add("Authorization", "Bearer " + proxy.Token);

        var body = await client.GetStringAsync($"{origin.Url}/v1/quiet", Ct);

        Assert.Equal("ok", body);
        Assert.Equal("Bearer " + secret, Assert.Single(origin.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Upstream_reset_mid_body_on_a_route_closes_the_client_connection()
    {
        await using var origin = new OriginServer();
        var (reference, _) = Secret();
        var (proxy, _) = await StartAsync(new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference });
        await using var __ = proxy;

        var result = await Cli.Curl("-o", "/dev/null", "-H", $"Authorization: Bearer {proxy.Token}", $"http://127.0.0.1:{proxy.Port}/svc/reset");

        Assert.Contains(result.ExitCode, new[] { 18, 56 });
        Assert.Contains(proxy.DrainAuditEvents(), e => e.Reason is { } r && r.StartsWith("response not completed", StringComparison.Ordinal));
    }
}
