using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>The ProxyHandle surface: environment, diagnostics, listeners, shutdown and audit hygiene.</summary>
public sealed class HandleTests
{
    [Fact]
    public async Task Env_vars_point_clients_at_the_proxy_with_the_token()
    {
        await using var proxy = await Proxies.StartAsync();
        var env = proxy.EnvVars().ToDictionary(kv => kv.Key, kv => kv.Value);
        var url = $"http://nono:{proxy.Token}@127.0.0.1:{proxy.Port}";

        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
            Assert.Equal(url, env[name]);
        Assert.Equal("localhost,127.0.0.1,::1", env["NO_PROXY"]);
        Assert.Equal("localhost,127.0.0.1,::1", env["no_proxy"]);
        Assert.Equal(proxy.Token, env["NONO_PROXY_TOKEN"]);
        Assert.Equal("1", env["NODE_USE_ENV_PROXY"]);
        Assert.Null(proxy.InterceptCaPath);
        Assert.False(env.ContainsKey("SSL_CERT_FILE"));
    }

    [Fact]
    public async Task Route_diagnostics_and_credential_env_vars_per_route()
    {
        var (reference, _) = RouteTests.Secret();
        var config = Proxies.Loopback(c => c with
        {
            Routes =
            [
                new RouteConfig { Prefix = "/openai", Upstream = "https://api.openai.com", CredentialKey = reference, EnvVar = "OPENAI_API_KEY", EndpointRules = [new("POST", "/v1/**")] },
                new RouteConfig { Prefix = "/my-api", Upstream = "https://api.example.com/v2", CredentialKey = "env://NONO_TEST_NOT_SET" },
            ],
        });
        await using var proxy = await Proxies.StartAsync(config);

        var lines = proxy.RouteDiagnostics(config);
        var env = proxy.CredentialEnvVars(config);

        Assert.Equal($"/openai -> https://api.openai.com  credential ✓ {reference}  tls-intercept off  endpoint rules 1", lines[0]);
        Assert.StartsWith("/my-api -> https://api.example.com/v2  credential ✗ env://NONO_TEST_NOT_SET (", lines[1]);
        Assert.Equal(
            [new("OPENAI_BASE_URL", $"http://127.0.0.1:{proxy.Port}/openai"), new("OPENAI_API_KEY", proxy.Token)],
            env);
    }

    [Fact]
    public async Task Proxy_accepts_on_a_listening_socket_handed_in()
    {
        await using var origin = new OriginServer();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { BindOwnListener = false, ListenSockets = [socket] }));

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", $"{origin.Url}/handed-in"], proxy.EnvVars());

        Assert.Equal(port, proxy.Port);
        Assert.Contains("origin saw: GET /handed-in", result.Stdout);
    }

    [Fact]
    public async Task After_shutdown_new_connections_are_refused()
    {
        var proxy = await Proxies.StartAsync();
        var port = proxy.Port;
        proxy.Shutdown();
        await proxy.DisposeAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken).AsTask());
    }

    [Theory]
    [InlineData("openai", "https://x")]
    [InlineData("/openai/", "https://x")]
    [InlineData("/a/../b", "https://x")]
    [InlineData("/ok", "ftp://x")]
    [InlineData("/ok", "not a url")]
    public async Task Invalid_routes_are_refused_at_start(string prefix, string upstream)
    {
        var config = Proxies.Loopback(c => c with { Routes = [new RouteConfig { Prefix = prefix, Upstream = upstream }] });
        await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(config));
    }

    [Fact]
    public async Task Empty_or_short_fixed_password_is_refused_and_a_fixed_one_is_used()
    {
        await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(Proxies.Loopback(c => c with { FixedToken = " " })));
        await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(Proxies.Loopback(c => c with { FixedToken = "x" })));
        await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(Proxies.Loopback(c => c with { FixedToken = "fifteen-chars.." })));
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { FixedToken = "p@ss word 16 ch" + "!" }));
        Assert.Equal("p@ss word 16 ch!", proxy.Token);
        Assert.Contains("nono:p%40ss%20word%2016%20ch%21@", proxy.ProxyUrl);
    }

    [Fact]
    public async Task Audit_events_never_contain_the_token_or_a_secret()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = RouteTests.Secret();
        var config = Proxies.Loopback(c => c with
        {
            Routes =
            [
                new RouteConfig { Prefix = "/q", Upstream = origin.Url, CredentialKey = reference, InjectMode = InjectMode.QueryParam, QueryParamName = "key" },
                new RouteConfig { Prefix = "/p", Upstream = origin.Url, CredentialKey = reference, InjectMode = InjectMode.UrlPath, PathPattern = "/t/{}/" },
                new RouteConfig { Prefix = "/h", Upstream = origin.Url, CredentialKey = reference },
            ],
        });
        await using var proxy = await Proxies.StartAsync(config);
        var t = proxy.Token;
        var base_ = $"http://127.0.0.1:{proxy.Port}";

        await Cli.Curl($"{base_}/q/v1/quiet?key={t}");
        await Cli.Curl($"{base_}/p/t/{t}/quiet");
        await Cli.Curl($"{base_}/p/t/{t}x/quiet");
        await Cli.Curl("-H", $"Authorization: Bearer {t}", $"{base_}/h/quiet?token={t}");
        await Cli.Curl("-H", "Authorization: Bearer wrong", $"{base_}/h/{t}");
        await Cli.RunAsync("curl", ["-s", "--max-time", "10", $"{origin.Url}/forward?key={t}"], proxy.EnvVars());
        await Proxies.RawAsync(proxy.Port, $"CONNECT {t}.example:443 HTTP/1.1\r\nProxy-Authorization: Bearer {t}\r\n\r\n");

        var events = proxy.DrainAuditEvents();
        var json = JsonSerializer.Serialize(events, AuditJsonContext.Default.IReadOnlyListNetworkAuditEvent);

        Assert.True(events.Count >= 7, json);
        Assert.DoesNotContain(t, json);
        Assert.DoesNotContain(secret, json);
        Assert.Contains("\"timestamp_unix_ms\"", json);
        Assert.Contains("\"mode\":\"reverse\"", json);
        Assert.Contains("\"decision\":\"deny\"", json);
    }

    [Fact]
    public async Task Audit_buffer_is_bounded()
    {
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { AuditCapacity = 3 }));
        for (var i = 0; i < 5; i++)
            await Proxies.RawAsync(proxy.Port, $"GET http://127.0.0.1:1/{i} HTTP/1.1\r\nConnection: close\r\n\r\n");

        var events = proxy.DrainAuditEvents();

        Assert.Equal(3, events.Count);
        Assert.Equal(2, proxy.DroppedAuditEvents);
        Assert.Empty(proxy.DrainAuditEvents());
    }

    [Fact]
    public async Task Shutdown_lets_a_request_in_flight_finish_and_refuses_new_connections()
    {
        await using var origin = new OriginServer();
        var proxy = await Proxies.StartAsync();
        using var client = Proxies.Client(proxy);

        var inFlight = client.GetStringAsync($"{origin.Url}/slow", TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        proxy.Shutdown();
        var dispose = proxy.DisposeAsync().AsTask();

        Assert.Equal("slow", await inFlight);
        await dispose;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, proxy.Port, TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task Unreadable_trust_files_are_a_configuration_error_naming_them()
    {
        var missing = Proxies.Loopback(c => c with { TlsIntercept = new TlsInterceptConfig { ExtraUpstreamRoots = ["/nonexistent/root.pem"] } });
        var routeCa = Proxies.Loopback(c => c with { Routes = [new RouteConfig { Prefix = "/x", Upstream = "https://x.example", UpstreamCaPath = "/nonexistent/ca.pem" }] });

        var a = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(missing));
        var b = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(routeCa));

        Assert.Contains("/nonexistent/root.pem", a.Message);
        Assert.Contains("route /x", b.Message);
    }
}
