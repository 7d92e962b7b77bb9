using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>
/// The proxy refuses a route whose fields it could not apply as written, naming the field, before it
/// binds or loads anything; callers with source locations use the same rules (<see cref="RouteFieldRules"/>).
/// </summary>
public sealed class RouteFieldValidationTests
{
    private static RouteConfig Route => new() { Prefix = "/svc", Upstream = "https://api.example.com", CredentialKey = "env://SVC_KEY" };

    public static TheoryData<RouteConfig, string> BadRoutes() => new()
    {
        { Route with { Upstream = "https://api.example.com/#frag" }, "upstream: must not have a query or fragment" },
        { Route with { Upstream = "https://user:pw@api.example.com" }, "upstream: must not contain a user name or password" },
        { Route with { InjectHeader = "Bad Header" }, "inject header: 'Bad Header' is not a valid HTTP header name" },
        { Route with { CredentialFormat = "Bearer" }, "credential format: must contain '{}'" },
        { Route with { InjectMode = InjectMode.QueryParam, QueryParamName = "key&admin=1" }, "query parameter: 'key&admin=1' is not a plain parameter name" },
        { Route with { InjectMode = InjectMode.UrlPath, PathPattern = "/bot{}/", PathReplacement = "/bot/" }, "path replacement: must contain '{}'" },
        { Route with { EndpointRules = [new EndpointRule("GE T", "/v1/**")] }, "'GE T' is not an HTTP method" },
        { Route with { EndpointRules = [new EndpointRule("GET", "/v1/** ?x")] }, "must be a path starting with '/'" },
    };

    [Theory]
    [MemberData(nameof(BadRoutes))]
    public async Task Route_with_a_field_the_proxy_cannot_apply_is_refused_naming_the_field(RouteConfig route, string expected)
    {
        var config = Proxies.Loopback(c => c with { Routes = [route] });

        var e = await Assert.ThrowsAsync<ProxyConfigException>(() => Proxies.StartAsync(config));

        Assert.StartsWith("route /svc: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

/// <summary>The credential reference rule the profile layer reports with a location is the loader's own.</summary>
public sealed class CredentialKeyRuleTests
{
    [Theory]
    [InlineData("env://SVC_KEY")]
    [InlineData("file:///home/me/.config/key")]
    [InlineData("keyring://nono/openai")]
    [InlineData("openai")]
    [InlineData("cmd://pass show openai")]
    [InlineData("op://vault/item/field")]
    [InlineData("env://1BAD")]
    [InlineData("file://relative")]
    [InlineData("keyring://only")]
    [InlineData("vault://x")]
    [InlineData("sk-proj-Q2hlY2tNZUlmWW91Q2FuMTIzNDU2Nzg5")]
    public void The_rule_accepts_exactly_what_the_credential_loader_parses(string reference)
    {
        var parses = Nono.Proxy.Credentials.CredentialReference.TryParse(reference, out _, out _, out var error);

        Assert.Equal(parses ? null : error!.TrimEnd('.'), RouteFieldRules.CredentialKey(reference));
    }
}
