using System.Net;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// A route cannot be pointed at a link-local (cloud metadata) address, whether its upstream names the
/// address or a host that resolves to it: requests are refused, and the start-up diagnostics say why.
/// </summary>
public sealed class LinkLocalRouteTests
{
    private const string AliasHost = "metadata-alias.test";

    /// <summary>The alias resolves to a link-local address; everything else as in the other tests.</summary>
    private static async ValueTask<IPAddress[]> Resolve(string host, CancellationToken ct) =>
        host == AliasHost ? [IPAddress.Parse("169.254.10.20")] : await Proxies.Resolve(host, ct);

    [Theory]
    [InlineData("http://169.254.169.254/latest")]
    [InlineData("http://[fe80::1]:8080")]
    [InlineData("http://" + AliasHost + ":8080")]
    public async Task Route_to_a_link_local_upstream_is_refused_and_marked_unusable_in_diagnostics(string upstream)
    {
        var (reference, secret) = RouteTests.Secret();
        var config = Proxies.Loopback(c => c with
        {
            Resolver = Resolve,
            Routes = [new RouteConfig { Prefix = "/meta", Upstream = upstream, CredentialKey = reference }],
        });
        await using var proxy = await Proxies.StartAsync(config);

        var result = await Cli.Curl("-i", "-w", "\n%{http_code}", "-H", $"Authorization: Bearer {proxy.Token}", $"http://127.0.0.1:{proxy.Port}/meta/computeMetadata/v1/");
        var line = Assert.Single(proxy.RouteDiagnostics(config));

        Assert.EndsWith("\n403", result.Stdout);
        Assert.Contains("link-local address", result.Stdout);
        Assert.Contains("(always denied)", result.Stdout);
        Assert.DoesNotContain(secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Decision: AuditDecision.Deny, Status: 403, Route: "/meta" });
        Assert.StartsWith($"/meta -> {upstream}  upstream ✗ (", line);
        Assert.Contains("link-local address", line);
    }

    [Fact]
    public async Task Route_to_an_allowed_upstream_has_no_upstream_mark_in_diagnostics()
    {
        await using var origin = new OriginServer();
        var (reference, _) = RouteTests.Secret();
        var config = Proxies.Loopback(c => c with { Routes = [new RouteConfig { Prefix = "/svc", Upstream = origin.Url, CredentialKey = reference }] });
        await using var proxy = await Proxies.StartAsync(config);

        var line = Assert.Single(proxy.RouteDiagnostics(config));

        Assert.Equal($"/svc -> {origin.Url}  credential ✓ {reference}  tls-intercept off  endpoint rules 0", line);
    }
}
