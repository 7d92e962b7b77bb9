using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>
/// `nono proxy` as a long-lived service, observed as an operator would: admin endpoints with curl, metrics
/// that move and hold no secret, SIGHUP reloads, the connection and rate limits, and the SIGTERM drain.
/// </summary>
public sealed class ProxyFleetTests : IDisposable
{
    private const string Token = "fleet-token-0123456789abcdef";
    private const string Secret = "sk-real-secret-never-in-metrics-42";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nono-fleet-");

    private static Dictionary<string, string> TokenEnv => new() { ["FLEET_TOKEN"] = Token };

    private string Profile(string json)
    {
        var path = Path.Combine(_dir.FullName, "profile.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task Health_readiness_and_metrics_answer_and_move_on_allow_and_deny_without_any_secret()
    {
        using var origin = new FleetOrigin("127.0.0.2");
        var keyFile = Path.Combine(_dir.FullName, "token-bearing-" + Token + ".key");
        await File.WriteAllTextAsync(keyFile, Secret, TestContext.Current.CancellationToken);
        var profile = Profile($$"""
            {"extends": "default", "network": {"allow_domain": ["127.0.0.2"],
             "custom_credentials": {"svc": {"upstream": "http://127.0.0.4:{{origin.Port}}", "credential_key": "file://{{keyFile}}", "env_var": "SVC_KEY"} },
             "credentials": ["svc"] } }
            """);
        using var proxy = await FleetProxy.StartAsync(["--profile", profile, "--pass-env", "FLEET_TOKEN"], TokenEnv);

        Assert.Equal((200, "ok"), await proxy.AdminAsync("/healthz"));
        Assert.Equal((200, "ready"), await proxy.AdminAsync("/readyz"));
        const string allowed = "nono_proxy_requests_total{mode=\"forward\",decision=\"allow\",reason=\"allowed\"}";
        const string denied = "nono_proxy_requests_total{mode=\"forward\",decision=\"deny\",reason=\"host_denied\"}";
        var allowedBefore = await proxy.MetricAsync(allowed);
        var deniedBefore = await proxy.MetricAsync(denied);

        Assert.Equal("200", await proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/", Token));
        Assert.Equal("403", await proxy.CurlAsync("http://127.0.0.3:9/", Token));
        Assert.Equal("403", await proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/{Token}/x?key={Token}", Token));

        Assert.Equal(allowedBefore + 1, await proxy.MetricAsync(allowed));
        Assert.Equal(deniedBefore + 1, await proxy.MetricAsync(denied));
        Assert.Equal(1, await proxy.MetricAsync("nono_proxy_requests_total{mode=\"forward\",decision=\"deny\",reason=\"token_in_url\"}"));
        Assert.Equal(1, await proxy.MetricAsync("nono_proxy_credential_route_up{route=\"/svc\"}"));
        Assert.True(await proxy.MetricAsync("nono_proxy_client_bytes_total{direction=\"from_client\"}") > 0);
        var (_, metrics) = await proxy.AdminAsync("/metrics");
        Assert.DoesNotContain(Token, metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(_dir.FullName, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.3", metrics, StringComparison.Ordinal);
        Assert.Equal(404, (await proxy.AdminAsync("/debug")).Status);
        Assert.Equal(0, await proxy.StopAsync());
    }

    [Fact]
    public async Task Sighup_applies_a_new_allowlist_while_an_earlier_tunnel_keeps_working_and_a_broken_profile_keeps_the_last_good_one()
    {
        using var first = new FleetOrigin("127.0.0.2");
        using var second = new FleetOrigin("127.0.0.3");
        var profile = Profile("""{"extends": "default", "network": {"allow_domain": ["127.0.0.2"]}}""");
        using var proxy = await FleetProxy.StartAsync(["--profile", profile, "--pass-env", "FLEET_TOKEN", "--audit-log", "-"], TokenEnv);
        using var tunnel = await OpenTunnelAsync(proxy.ProxyPort, "127.0.0.2", first.Port);
        Assert.Equal("ping1", await EchoAsync(tunnel, "ping1"));

        await File.WriteAllTextAsync(profile, """{"extends": "default", "network": {"allow_domain": ["127.0.0.3"]}}""", TestContext.Current.CancellationToken);
        proxy.Signal("HUP");
        await proxy.WaitForLineAsync("configuration reloaded", TimeSpan.FromSeconds(20));

        Assert.Equal("403", await proxy.CurlAsync($"http://127.0.0.2:{first.Port}/", Token));
        Assert.Equal("200", await proxy.CurlAsync($"http://127.0.0.3:{second.Port}/", Token));
        Assert.Equal("ping2", await EchoAsync(tunnel, "ping2"));

        await File.WriteAllTextAsync(profile, """{"extends": "default", "network": {"allow_domain": [""", TestContext.Current.CancellationToken);
        proxy.Signal("HUP");
        var failure = await proxy.WaitForLineAsync("reload failed, keeping the previous configuration", TimeSpan.FromSeconds(20));
        Assert.Contains("profile.json", failure, StringComparison.Ordinal);

        Assert.Equal("200", await proxy.CurlAsync($"http://127.0.0.3:{second.Port}/", Token));
        Assert.Equal("403", await proxy.CurlAsync($"http://127.0.0.2:{first.Port}/", Token));
        Assert.Equal(1, await proxy.MetricAsync("nono_proxy_reloads_total{outcome=\"failure\"}"));
        Assert.Equal(0, await proxy.MetricAsync("nono_proxy_config_last_reload_successful"));
        await proxy.WaitForLineAsync("\"mode\":\"reload\",\"decision\":\"deny\"", TimeSpan.FromSeconds(5));
        Assert.Equal("ping3", await EchoAsync(tunnel, "ping3"));
        Assert.Equal(0, await proxy.StopAsync());
    }

    [Fact]
    public async Task A_full_proxy_answers_503_and_a_spent_rate_limit_answers_429_with_retry_after()
    {
        using var origin = new FleetOrigin("127.0.0.2");
        var profile = Profile("""
            {"extends": "default", "network": {"allow_domain": ["127.0.0.2"],
             "rate_limits": [{"host": "127.0.0.2", "requests_per_second": 0.05, "burst": 2}]}}
            """);
        using var proxy = await FleetProxy.StartAsync(["--profile", profile, "--pass-env", "FLEET_TOKEN", "--max-connections", "1"], TokenEnv);

        using (var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await holder.ConnectAsync(IPAddress.Loopback, proxy.ProxyPort, TestContext.Current.CancellationToken);
            await holder.SendAsync("GET http://127.0.0.2/ HTTP/1.1\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.Equal("503", await proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/", Token));
        }

        await WaitForAsync(async () => await proxy.MetricAsync("nono_proxy_connections_open") == 0);
        Assert.Equal("200", await proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/", Token));
        Assert.Equal("200", await proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/", Token));
        var limited = await proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/", Token);
        Assert.StartsWith("429 Retry-After: ", limited, StringComparison.Ordinal);
        Assert.InRange(int.Parse(limited["429 Retry-After: ".Length..], System.Globalization.CultureInfo.InvariantCulture), 1, 20);
        Assert.Equal(2, origin.Requests);
        Assert.Equal(1, await proxy.MetricAsync("nono_proxy_requests_total{mode=\"forward\",decision=\"deny\",reason=\"connection_limit\"}"));
        Assert.Equal(1, await proxy.MetricAsync("nono_proxy_requests_total{mode=\"forward\",decision=\"deny\",reason=\"rate_limited\"}"));
    }

    [Fact]
    public async Task Sigterm_stops_readiness_and_lets_a_request_in_flight_finish()
    {
        using var origin = new FleetOrigin("127.0.0.2") { Delay = TimeSpan.FromSeconds(3) };
        var profile = Profile("""{"extends": "default", "network": {"allow_domain": ["127.0.0.2"]}}""");
        using var proxy = await FleetProxy.StartAsync(["--profile", profile, "--pass-env", "FLEET_TOKEN", "--drain-timeout", "20"], TokenEnv);

        var slow = proxy.CurlAsync($"http://127.0.0.2:{origin.Port}/", Token);
        await WaitForAsync(() => Task.FromResult(origin.Requests == 1));
        proxy.Signal("TERM");
        await proxy.WaitForLineAsync("stopping the proxy", TimeSpan.FromSeconds(10));
        var afterStop = await Run.ProcessAsync("curl", ["-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "-x", $"http://nono:{Token}@127.0.0.1:{proxy.ProxyPort}", $"http://127.0.0.2:{origin.Port}/"]);

        Assert.Equal("200", await slow);
        Assert.NotEqual(0, afterStop.ExitCode); // the listener is closed: connection refused
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await proxy.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, proxy.Process.ExitCode);
    }

    internal static async Task<Socket> OpenTunnelAsync(int proxyPort, string host, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxyPort);
        var auth = Convert.ToBase64String(Encoding.ASCII.GetBytes("nono:" + Token));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\nProxy-Authorization: Basic {auth}\r\n\r\n"));
        var buffer = new byte[1024];
        var n = await socket.ReceiveAsync(buffer);
        var head = Encoding.ASCII.GetString(buffer, 0, n);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        return socket;
    }

    private static async Task<string> EchoAsync(Socket tunnel, string text)
    {
        await tunnel.SendAsync(Encoding.ASCII.GetBytes(text));
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await tunnel.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
                return;
            await Task.Delay(50);
        }

        Assert.Fail("condition never became true");
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
