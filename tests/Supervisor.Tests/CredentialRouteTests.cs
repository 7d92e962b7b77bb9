using Nono.Proxy;
using Nono.Supervisor.Env;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class CredentialRouteTests
{
    [Fact]
    public void A_custom_credential_becomes_a_route_named_after_it()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """
            {"network": {"credentials": ["my-api_v2"], "custom_credentials": {"my-api_v2": {
              "upstream": "https://api.example.com/base",
              "credential_key": "env://MY_REAL_SECRET",
              "inject_header": "X-Api-Key",
              "credential_format": "{}",
              "env_var": "MY_API_KEY",
              "endpoint_rules": [{"method": "post", "path": "/base/items"}, {"method": "*", "path": "/base/public/**"}]
            }}}}
            """);

        var route = Assert.Single(host.Resolve(new SessionFlags { Profile = "p" }).Proxy.Routes);

        Assert.Equal(
            new RouteConfig
            {
                Prefix = "/my-api_v2",
                Upstream = "https://api.example.com/base",
                CredentialKey = "env://MY_REAL_SECRET",
                InjectMode = InjectMode.Header,
                InjectHeader = "X-Api-Key",
                CredentialFormat = "{}",
                EnvVar = "MY_API_KEY",
                BaseUrlEnvVar = "MY_API_V2_BASE_URL",
                EndpointRules = route.EndpointRules,
            },
            route);
        Assert.Equal([new EndpointRule("POST", "/base/items"), new EndpointRule("*", "/base/public/**")], route.EndpointRules);
    }

    [Fact]
    public void Header_routes_default_to_a_bearer_authorization_header()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"credentials": ["svc"], "custom_credentials": {"svc": {"upstream": "https://svc.example.com", "credential_key": "svc-account"}}}}""");

        var route = Assert.Single(host.Resolve(new SessionFlags { Profile = "p" }).Proxy.Routes);

        Assert.Equal(("Authorization", "Bearer {}", "SVC_BASE_URL", (string?)null), (route.InjectHeader, route.CredentialFormat, route.BaseUrlEnvVar, route.EnvVar));
    }

    [Fact]
    public void A_file_credential_key_is_expanded_like_a_profile_path()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"credentials": ["svc"], "custom_credentials": {"svc": {"upstream": "https://svc.example.com", "credential_key": "file://~/.config/svc/key"}}}}""");

        var route = Assert.Single(host.Resolve(new SessionFlags { Profile = "p" }).Proxy.Routes);

        Assert.Equal($"file://{host.Home}/.config/svc/key", route.CredentialKey);
    }

    [Fact]
    public void Route_upstream_hosts_are_allowed()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"credentials": ["svc"], "custom_credentials": {"svc": {"upstream": "https://Svc.Example.com:8443/v1", "credential_key": "k"}}}}""");

        Assert.Equal(["svc.example.com"], host.Resolve(new SessionFlags { Profile = "p" }).Proxy.AllowedHosts);
    }

    [Fact]
    public void Built_in_services_come_from_the_catalog()
    {
        using var host = new TestHost();
        var catalog = new TestCatalog();
        catalog.TryGet("github", out var expected);

        var settings = host.Resolve(new SessionFlags { Credentials = ["github"] }, catalog);

        Assert.Same(expected, Assert.Single(settings.Proxy.Routes));
    }

    [Fact]
    public void The_default_catalog_brokers_openai_and_anthropic_with_their_sdk_variables()
    {
        using var host = new TestHost();

        var routes = SessionResolver.Resolve(host.Environment, new SessionFlags { Credentials = ["openai", "anthropic"] }).Proxy.Routes;

        Assert.Equal(["/openai:OPENAI_API_KEY:OPENAI_BASE_URL", "/anthropic:ANTHROPIC_API_KEY:ANTHROPIC_BASE_URL"], routes.Select(r => $"{r.Prefix}:{r.EnvVar}:{r.BaseUrlEnvVar}"));
        Assert.Contains("openai", CredentialServices.Default.Names);
    }

    [Fact]
    public void A_listed_custom_credential_named_like_a_built_in_service_replaces_it()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"credentials": ["openai"], "custom_credentials": {"openai": {"upstream": "https://x.example.com", "credential_key": "k"}}}}""");

        var route = Assert.Single(host.Resolve(new SessionFlags { Profile = "p" }).Proxy.Routes);
        Assert.Equal(("/openai", "https://x.example.com"), (route.Prefix, route.Upstream));
    }

    [Fact]
    public void A_custom_credential_defined_but_not_listed_is_inactive_and_said_so()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"custom_credentials": {"myservice": {"upstream": "https://svc.example.com", "credential_key": "k"}}}}""");

        var settings = host.Resolve(new SessionFlags { Profile = "p" });

        Assert.Empty(settings.Proxy.Routes);
        Assert.DoesNotContain("svc.example.com", settings.Proxy.AllowedHosts);
        Assert.Contains(settings.Notices, notice => notice.Contains("'myservice' is defined but not listed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_custom_credential_is_activated_by_listing_it_in_the_profile_or_on_the_command_line()
    {
        using var host = new TestHost();
        host.WriteUserProfile("listed", """{"network": {"credentials": ["myservice"], "custom_credentials": {"myservice": {"upstream": "https://svc.example.com", "credential_key": "k"}}}}""");
        host.WriteUserProfile("defined", """{"network": {"custom_credentials": {"myservice": {"upstream": "https://svc.example.com", "credential_key": "k"}}}}""");

        Assert.Equal("/myservice", Assert.Single(host.Resolve(new SessionFlags { Profile = "listed" }).Proxy.Routes).Prefix);
        Assert.Equal("/myservice", Assert.Single(host.Resolve(new SessionFlags { Profile = "defined", Credentials = ["myservice"] }).Proxy.Routes).Prefix);
    }

    [Fact]
    public void Two_routes_sharing_a_phantom_variable_is_an_error()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"credentials": ["openai", "other"], "custom_credentials": {"other": {"upstream": "https://x.example.com", "credential_key": "k", "env_var": "OPENAI_API_KEY"}}}}""");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));
        Assert.Contains("routes '/openai' and '/other' both set 'OPENAI_API_KEY'", error.Message);
    }

    [Fact]
    public void A_route_cannot_put_its_token_in_an_injection_vector()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"credentials": ["x"], "custom_credentials": {"x": {"upstream": "https://x.example.com", "credential_key": "k", "env_var": "LD_PRELOAD"}}}}""");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));
        Assert.Contains("route '/x': 'LD_PRELOAD' cannot be set by a profile", error.Message);
    }

    [Theory]
    [InlineData("openai", "OPENAI_BASE_URL")]
    [InlineData("my-api", "MY_API_BASE_URL")]
    [InlineData("a.b_c", "A_B_C_BASE_URL")]
    public void Base_url_variables_are_upper_cased_with_other_characters_as_underscores(string name, string expected) =>
        Assert.Equal(expected, ChildEnvironmentBuilder.BaseUrlVariable(name));

    [Fact]
    public void Custom_credentials_merge_by_name_across_extends()
    {
        using var host = new TestHost();
        host.WriteUserProfile("parent", """{"network": {"credentials": ["a", "b"], "custom_credentials": {"a": {"upstream": "https://a.example.com", "credential_key": "k1"}, "b": {"upstream": "https://b.example.com", "credential_key": "k2"}}}}""");
        host.WriteUserProfile("child", """{"extends": "parent", "network": {"custom_credentials": {"b": {"upstream": "https://b2.example.com", "credential_key": "k3"}}}}""");

        var routes = host.Resolve(new SessionFlags { Profile = "child" }).Proxy.Routes;

        Assert.Equal(["/a:https://a.example.com", "/b:https://b2.example.com"], routes.Select(r => $"{r.Prefix}:{r.Upstream}"));
    }
}
