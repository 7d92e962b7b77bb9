using System.Text;
using Nono.Proxy.Tests.Infrastructure;
using Nono.Proxy.Tests.Intercept;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// WebSocket upgrades through the three request paths (plain forward, reverse credential route,
/// intercepted TLS tunnel) with a real raw-socket client: the handshake, then frames both ways; and
/// the hostile cases (a host that is not allowed, a malformed 101 from the origin).
/// </summary>
public sealed class WebSocketTests
{
    /// <summary>
    /// A minimal RFC 6455 client in python's standard library: argv mode (forward | reverse | tunnel),
    /// proxy port, target (absolute URL for forward, origin-form path otherwise, host:port/path for
    /// tunnel), then extra header lines. Prints the response status line, then each echoed frame.
    /// </summary>
    private const string Client = """
        import base64, os, socket, ssl, sys
        mode, port, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        extra = sys.argv[4:]
        auth = "Proxy-Authorization: Basic " + base64.b64encode(("nono:" + os.environ["NONO_TOKEN"]).encode()).decode()
        s = socket.create_connection(("127.0.0.1", port), timeout=20)
        host = "origin.test"
        if mode == "tunnel":
            authority, path = target.split("/", 1)
            path = "/" + path
            s.sendall(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n{auth}\r\n\r\n".encode())
            reply = b""
            while b"\r\n\r\n" not in reply:
                reply += s.recv(1)
            ctx = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
            ctx.set_alpn_protocols(["http/1.1"])
            s = ctx.wrap_socket(s, server_hostname=authority.split(":")[0])
            host = authority
        else:
            path = target
            if mode == "forward":
                extra = extra + [auth]
                host = target.split("/")[2]
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: keep-alive, Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"] + extra
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            b = s.recv(1)
            if not b:
                break
            head += b
        print(head.split(b"\r\n")[0].decode())
        if not head.startswith(b"HTTP/1.1 101"):
            sys.exit(0)
        def send(text):
            data, mask = text.encode(), os.urandom(4)
            s.sendall(bytes([0x81, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        def recv():
            h = s.recv(2)
            n = h[1] & 0x7f
            body = b""
            while len(body) < n:
                body += s.recv(n - len(body))
            return body.decode()
        for message in ("hello", "second frame"):
            send(message)
            print(recv())
        mask = os.urandom(4)
        s.sendall(bytes([0x88, 0x80]) + mask)
        """;

    private static Task<CliResult> RunAsync(IEnumerable<KeyValuePair<string, string>> env, string token, params string[] args) =>
        Cli.RunAsync(Cli.Python, ["-c", Client, .. args], [.. env, new("NONO_TOKEN", token)]);

    [Fact]
    public async Task WebSocket_through_the_plain_forward_proxy_relays_frames_both_ways()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var run = await RunAsync([], proxy.Token, "forward", proxy.Port.ToString(), $"{origin.Url}/ws");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["HTTP/1.1 101 Switching Protocols", "echo: hello", "echo: second frame"], run.Stdout.TrimEnd().Split('\n'));
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("websocket", seen.Header("Upgrade"));
        Assert.Null(seen.Header("Proxy-Authorization"));
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Forward, Decision: AuditDecision.Allow, Status: 101, Path: "/ws" });
    }

    [Fact]
    public async Task WebSocket_upgrade_to_a_host_that_is_not_allowed_is_403_and_nothing_goes_upstream()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { AllowedHosts = ["allowed.test"] }));

        var run = await RunAsync([], proxy.Token, "forward", proxy.Port.ToString(), $"{origin.Url}/ws");

        Assert.StartsWith("HTTP/1.1 403", run.Stdout);
        Assert.Equal(0, origin.Connections);
    }

    [Theory]
    [InlineData("/ws-bad-accept", "Sec-WebSocket-Accept")]
    [InlineData("/ws-no-upgrade", "without Upgrade: websocket")]
    public async Task Malformed_101_from_the_origin_is_a_502_naming_the_cause(string path, string cause)
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();

        var run = await RunAsync([], proxy.Token, "forward", proxy.Port.ToString(), origin.Url + path);

        Assert.StartsWith("HTTP/1.1 502", run.Stdout);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Decision: AuditDecision.Deny, Status: 502 } && e.Reason!.Contains(cause, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSocket_through_a_reverse_route_carries_the_real_credential_on_the_upgrade()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = RouteTests.Secret();
        var config = Proxies.Loopback(c => c with { Routes = [new RouteConfig { Prefix = "/rt", Upstream = origin.Url, CredentialKey = reference }] });
        await using var proxy = await Proxies.StartAsync(config);

        var run = await RunAsync([], proxy.Token, "reverse", proxy.Port.ToString(), "/rt/ws", $"Authorization: Bearer {proxy.Token}");
        var wrong = await RunAsync([], proxy.Token, "reverse", proxy.Port.ToString(), "/rt/ws", "Authorization: Bearer nope");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["HTTP/1.1 101 Switching Protocols", "echo: hello", "echo: second frame"], run.Stdout.TrimEnd().Split('\n'));
        Assert.StartsWith("HTTP/1.1 401", wrong.Stdout);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("Bearer " + secret, seen.Header("Authorization"));
        Assert.Equal("websocket", seen.Header("Upgrade"));
    }

    [Fact]
    public async Task Wss_through_an_intercepted_tunnel_to_a_route_host_gets_the_credential()
    {
        await using var s = await InterceptSession.StartAsync();
        var authority = new Uri(s.Origin.Url).Authority;

        var run = await RunAsync(s.ChildEnv, s.Proxy.Token, "tunnel", s.Proxy.Port.ToString(), authority + "/ws", $"Authorization: Bearer {s.Proxy.Token}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["HTTP/1.1 101 Switching Protocols", "echo: hello", "echo: second frame"], run.Stdout.TrimEnd().Split('\n'));
        var seen = Assert.Single(s.Origin.Requests);
        Assert.Equal("Bearer " + s.Secret, seen.Header("Authorization"));
        Assert.DoesNotContain(s.Proxy.Token, seen.Raw, StringComparison.Ordinal);
        Assert.Contains(s.Proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Intercept, Status: 101, Route: "/svc" });
    }
}
