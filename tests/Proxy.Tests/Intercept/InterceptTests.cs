using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>
/// TLS interception wired into the proxy: real clients, configured only by the handle's variables, reach a
/// real HTTPS origin (with a CA of its own) through an intercepted CONNECT, and the route's credential is
/// injected inside the tunnel exactly as on the reverse path.
/// </summary>
public sealed class InterceptTests
{
    [Theory]
    [InlineData("curl")]
    [InlineData("urllib")]
    [InlineData("requests")]
    [InlineData("node")]
    public async Task Client_through_intercepted_tunnel_gets_the_real_credential_injected_and_never_sees_it(string client)
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await InterceptClients.RunAsync(client, $"{s.Origin.Url}/v1/quiet", s.ChildEnv);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("200 ok", result.Stdout);
        Assert.DoesNotContain(s.Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        var seen = Assert.Single(s.Origin.Requests);
        Assert.Equal("Bearer " + s.Secret, seen.Header("Authorization"));
        Assert.Contains(s.Proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Intercept, Status: 200, Route: "/svc", Path: "/v1/quiet" });
    }

    [Fact]
    public async Task Git_ls_remote_through_intercepted_tunnel_reaches_the_origin_with_the_real_credential()
    {
        await using var s = await InterceptSession.StartAsync();
        var home = Directory.CreateTempSubdirectory("nono-git-home-").FullName;
        try
        {
            var result = await InterceptClients.GitLsRemoteAsync($"{s.Origin.Url}/repo.git", s.ChildEnv, home);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(Tls.TestTlsServer.GitCommit + "\trefs/heads/main", result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(s.Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
            Assert.All(s.Origin.Requests, r => Assert.Equal("Bearer " + s.Secret, r.Header("Authorization")));
            Assert.Contains(s.Origin.Requests, r => r.Target.StartsWith("/repo.git/info/refs", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Keep_alive_requests_share_one_intercepted_tunnel()
    {
        await using var s = await InterceptSession.StartAsync();
        var phantom = s.Proxy.Token;

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "-H", "Authorization: Bearer " + phantom, $"{s.Origin.Url}/v1/quiet", $"{s.Origin.Url}/v2/quiet"], s.ChildEnv);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("okok", result.Stdout);
        Assert.Equal(2, s.Origin.Requests.Count);
        Assert.Single(s.Proxy.DrainAuditEvents(), e => e.Method == "CONNECT");
    }

    [Fact]
    public async Task Wrong_phantom_token_inside_the_tunnel_is_refused_before_the_origin()
    {
        await using var s = await InterceptSession.StartAsync();

        var result = await Cli.RunAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer sk-guess", $"{s.Origin.Url}/v1/quiet"], s.ChildEnv);

        Assert.Equal("401", result.Stdout);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Endpoint_rule_is_enforced_inside_the_tunnel()
    {
        await using var s = await InterceptSession.StartAsync(c => c with
        {
            Routes = [c.Routes[0] with { EndpointRules = [new EndpointRule("GET", "/v1/**")] }],
        });
        var env = s.ChildEnv;

        var allowed = await InterceptClients.RunAsync("curl", $"{s.Origin.Url}/v1/quiet", env);
        var denied = await InterceptClients.RunAsync("curl", $"{s.Origin.Url}/admin/quiet", env);

        Assert.Equal("200 ok", allowed.Stdout);
        Assert.StartsWith("403", denied.Stdout, StringComparison.Ordinal);
        Assert.Equal("/v1/quiet", Assert.Single(s.Origin.Requests).Target);
    }

    [Fact]
    public async Task Connect_to_a_host_no_route_needs_to_see_stays_end_to_end_tls()
    {
        await using var s = await InterceptSession.StartAsync();
        await using var other = new OriginServer(OriginPki.Leaf);

        // Trusting only the origin's own CA: this succeeds only when the client sees the origin's certificate.
        var direct = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "--cacert", s.Pki.CaPemPath, $"{other.Url}/quiet"], s.ChildEnv);
        var intercepted = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "--cacert", s.Pki.CaPemPath, $"{s.Origin.Url}/quiet"], s.ChildEnv);

        Assert.True(direct.ExitCode == 0, direct.ToString());
        Assert.Equal("ok", direct.Stdout);
        Assert.NotEqual(0, intercepted.ExitCode);
        var events = s.Proxy.DrainAuditEvents();
        Assert.Contains(events, e => e is { Mode: AuditMode.Connect, Method: "CONNECT", Status: 200 } && e.Port == other.Port);
        Assert.DoesNotContain(events, e => e.Mode == AuditMode.Intercept && e.Port == other.Port);
    }

    [Fact]
    public async Task Client_that_refuses_the_session_ca_gets_a_failed_handshake_and_an_audit_event_never_a_tunnel()
    {
        await using var s = await InterceptSession.StartAsync();

        // A pinning client: it trusts only the origin's real CA, not the session CA.
        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "--cacert", s.Pki.CaPemPath, "-H", "Authorization: Bearer " + s.Proxy.Token, $"{s.Origin.Url}/v1/quiet"], s.ChildEnv);

        Assert.Equal(60, result.ExitCode);
        Assert.Empty(s.Origin.Requests);
        var refused = await WaitForAsync(s.Proxy, e => e is { Mode: AuditMode.Intercept, Decision: AuditDecision.Deny });
        Assert.StartsWith("tls handshake refused by client", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(s.Origin.Port, refused.Port);
    }

    [Fact]
    public async Task Upstream_certificate_not_signed_by_a_trusted_root_is_refused_inside_the_tunnel()
    {
        await using var s = await InterceptSession.StartAsync(c => c with { TlsIntercept = c.TlsIntercept! with { ExtraUpstreamRoots = [] } });

        var result = await InterceptClients.RunAsync("curl", $"{s.Origin.Url}/v1/quiet", s.ChildEnv);

        Assert.StartsWith("502", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(s.Origin.Requests);
    }

    [Fact]
    public async Task Intercept_all_intercepts_a_host_without_a_route_under_a_name_constrained_ca()
    {
        await using var s = await InterceptSession.StartAsync(c => c with
        {
            Routes = [],
            AllowedHosts = [OriginServer.Host, "localhost"], // the origin's name resolves to loopback
            TlsIntercept = c.TlsIntercept! with { InterceptAll = true },
        });

        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", $"{s.Origin.Url}/quiet"], s.ChildEnv);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok", result.Stdout);
        Assert.Contains(s.Proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Intercept, Status: 200, Path: "/quiet" });
        var interceptor = Assert.IsType<Nono.Proxy.Tls.SessionInterceptor>(s.Proxy.Runtime.Interceptor);
        Assert.Null(interceptor.NameConstraintsNotAppliedReason);
    }

    [Fact]
    public async Task Route_diagnostics_show_interception_per_route()
    {
        await using var s = await InterceptSession.StartAsync(c => c with
        {
            Routes = [c.Routes[0], new RouteConfig { Prefix = "/open", Upstream = "https://open.test:8443" }],
        });

        var lines = s.Proxy.RouteDiagnostics(s.Config);

        Assert.Contains("tls-intercept on", lines[0], StringComparison.Ordinal);
        Assert.Contains("tls-intercept off", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_client_certificate_is_presented_to_an_mtls_upstream_inside_the_tunnel()
    {
        using var pki = new OriginPki();
        await using var origin = new OriginServer(OriginPki.Leaf, requireClientCertificate: true);
        var (reference, secret) = EndToEnd.RouteTests.Secret();
        var root = Directory.CreateTempSubdirectory("nono-mtls-").FullName;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=nono mtls client", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")], false));
            using var clientCert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certPath = Path.Combine(root, "client.pem");
            var keyPath = Path.Combine(root, "client.key");
            await File.WriteAllTextAsync(certPath, clientCert.ExportCertificatePem(), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
            var config = Proxies.Loopback(c => c with
            {
                Routes =
                [
                    new RouteConfig
                    {
                        Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference, EnvVar = InterceptClients.TokenVariable,
                        ClientCertificatePath = certPath, ClientKeyPath = keyPath, UpstreamCaPath = pki.CaPemPath,
                    },
                ],
                TlsIntercept = new TlsInterceptConfig { SessionDirectoryRoot = root },
            });
            await using var proxy = await Proxies.StartAsync(config);

            var result = await InterceptClients.RunAsync("curl", $"{origin.Url}/v1/quiet", [.. proxy.EnvVars(), .. proxy.CredentialEnvVars(config)]);

            Assert.Equal("200 ok", result.Stdout);
            Assert.Contains("CN=nono mtls client", origin.ClientCertificateSubjects);
            Assert.Equal("Bearer " + secret, Assert.Single(origin.Requests).Header("Authorization"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    internal static async Task<NetworkAuditEvent> WaitForAsync(ProxyHandle proxy, Func<NetworkAuditEvent, bool> match)
    {
        var seen = new List<NetworkAuditEvent>();
        for (var i = 0; i < 100; i++)
        {
            seen.AddRange(proxy.DrainAuditEvents());
            if (seen.FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new Xunit.Sdk.XunitException("no matching audit event; saw: " + string.Join("; ", seen.Select(e => $"{e.Mode} {e.Decision} {e.Reason}")));
    }
}
