using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>A built-in service whose key is not in the keyring takes it from the proxy's own environment.</summary>
public sealed class BuiltInCredentialSourceTests
{
    [Fact]
    public async Task The_openai_route_injects_the_key_from_the_environment_and_names_that_source()
    {
        await using var origin = new OriginServer();
        var (reference, secret) = RouteTests.Secret();
        Assert.True(BuiltInServices.TryGet("openai", out var openai));

        // The built-in route as it is, pointed at a local origin. Its keyring entry (nono/openai) does not
        // exist here, so the environment variable after it in the chain is what loads.
        var route = openai with { CredentialKey = "nono-test-never-stored-" + Guid.NewGuid().ToString("N")[..8], Upstream = origin.Url + "/v1", FallbackCredentialKeys = [reference] };
        var config = Proxies.Loopback(c => c with { Routes = [route] });
        await using var proxy = await Proxies.StartAsync(config);

        var diagnostics = Assert.Single(proxy.RouteDiagnostics(config));
        var result = await Cli.Curl("-H", $"Authorization: Bearer {proxy.Token}", $"http://127.0.0.1:{proxy.Port}/openai/chat/completions/quiet");

        Assert.Contains($"credential ✓ {reference}", diagnostics, StringComparison.Ordinal);
        Assert.Equal("ok", result.Stdout);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("/v1/chat/completions/quiet", seen.Target);
        Assert.Equal("Bearer " + secret, seen.Header("Authorization"));
        Assert.DoesNotContain(proxy.CredentialEnvVars(config), pair => pair.Value.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(new KeyValuePair<string, string>("OPENAI_API_KEY", proxy.Token), proxy.CredentialEnvVars(config));
    }
}
