using Nono.Proxy.Http;
using Nono.Proxy.Pipeline;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Unit;

/// <summary>The policy stage on its own: every refusal is a typed reason, with the status made from it.</summary>
public sealed class RequestPolicyTests
{
    private const string Token = "nono-policy-test-token-0123456789abcdef";

    private static async Task<ProxyRuntime> RuntimeAsync()
    {
        var (reference, _) = EndToEnd.RouteTests.Secret();
        var config = Proxies.Loopback(c => c with
        {
            AllowedHosts = ["allowed.example"],
            Routes = [new RouteConfig { Prefix = "/svc", Upstream = "https://api.example/v1", CredentialKey = reference }],
        });
        return await ProxyRuntime.CreateAsync(config, SessionToken.Fixed(Token), _ => null, TestContext.Current.CancellationToken);
    }

    private static RequestHead Head(string target, params HeaderField[] headers) =>
        new() { Method = "GET", Target = target, MinorVersion = 1, Headers = [.. headers], KeepAlive = true };

    private static readonly HeaderField ProxyAuth = new("Proxy-Authorization", "Bearer " + Token);

    [Theory]
    [InlineData("*", nameof(Refusal.UnsupportedTarget), 400)]
    [InlineData("/nothing/here", nameof(Refusal.NoRoute), 404)]
    [InlineData("/svc/a/../b", nameof(Refusal.MalformedPath), 400)]
    [InlineData("/svc/models", nameof(Refusal.PhantomTokenMissing), 401)]
    public async Task Reverse_and_unknown_forms_are_refused_with_their_reason(string target, string reason, int status)
    {
        using var runtime = await RuntimeAsync();

        var decision = RequestPolicy.Decide(runtime, Head(target), intercept: null);

        Assert.Null(decision.Plan);
        Assert.Equal(reason, decision.Denial!.Value.Reason.ToString());
        Assert.Equal(status, decision.Denial.Value.Status);
    }

    [Fact]
    public async Task Forward_requests_need_the_token_a_listed_host_and_a_url_without_the_token()
    {
        using var runtime = await RuntimeAsync();

        Assert.Equal(Refusal.ProxyAuthRequired, RequestPolicy.Decide(runtime, Head("http://allowed.example/"), null).Denial!.Value.Reason);
        Assert.Equal(Refusal.HostDenied, RequestPolicy.Decide(runtime, Head("http://other.example/", ProxyAuth), null).Denial!.Value.Reason);
        Assert.Equal(Refusal.TokenInUrl, RequestPolicy.Decide(runtime, Head($"http://allowed.example/?k={Token}", ProxyAuth), null).Denial!.Value.Reason);
        Assert.Equal(Refusal.MalformedTarget, RequestPolicy.Decide(runtime, Head("http://user@allowed.example/", ProxyAuth), null).Denial!.Value.Reason);

        var plan = RequestPolicy.Decide(runtime, Head("http://allowed.example/x", ProxyAuth), null).Plan;
        Assert.NotNull(plan);
        Assert.Equal(UpstreamTransport.Http1Pool, plan.Transport);
        Assert.Equal("allowed.example", plan.Audit.Host);
    }

    [Fact]
    public async Task A_route_request_with_the_phantom_token_is_planned_with_the_credential_rewrite()
    {
        using var runtime = await RuntimeAsync();

        var decision = RequestPolicy.Decide(runtime, Head("/svc/models?x=1", new HeaderField("Authorization", "Bearer " + Token)), null);

        var plan = Assert.IsType<ForwardPlan>(decision.Plan);
        Assert.Equal(UpstreamTransport.Invoker, plan.Transport);
        Assert.Equal("https://api.example/v1/models?x=1", plan.Target.OriginalString);
        Assert.Contains("Authorization", plan.Rewrite.Drop);
        Assert.Equal("/svc", plan.Audit.Route);
    }
}
