using Nono.Proxy;
using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class SessionResolverTests
{
    [Fact]
    public void Flags_extend_the_profiles_lists()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"extends": "default", "network": {"allow_domain": ["a.example.com"], "credentials": ["openai"]}, "environment": {"deny_vars": ["A"]}}""");
        var extra = host.MakeDirectory("data");

        var settings = host.Resolve(new SessionFlags
        {
            Profile = "p",
            AllowDomains = ["b.example.com", "gitlab"],
            Credentials = ["github"],
            Read = [extra],
            DenyVars = ["B"],
        });

        Assert.Equal(["a.example.com", "api.github.com", "api.openai.com", "b.example.com", "gitlab.com", "registry.gitlab.com"], settings.Proxy.AllowedHosts);
        Assert.Equal(["/openai", "/github"], settings.Proxy.Routes.Select(r => r.Prefix));
        Assert.Contains(FsGrant.Directory(extra, FsAccess.ReadExecute), settings.Grants);
        Assert.Equal(["A", "B"], settings.Environment.DenyVars);
    }

    [Fact]
    public void Flags_override_the_profiles_scalars()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """
            {"network": {"upstream_proxy": "old.example:3128", "network_profile": ["npm", "pypi"], "tls_intercept": {"ca_validity_days": 3}},
             "environment": {"set_vars": {"MODE": "profile", "KEEP": "yes"}}}
            """);

        var settings = host.Resolve(new SessionFlags
        {
            Profile = "p",
            UpstreamProxy = "new.example:8080",
            NetworkProfiles = ["crates"],
            ProxyCaValidityDays = 30,
            SetVars = ["MODE=flag"],
        });

        Assert.Equal("new.example:8080", settings.Proxy.ExternalProxy!.Address);
        Assert.Equal(["crates.io", "index.crates.io", "static.crates.io"], settings.Proxy.AllowedHosts);
        Assert.Equal(30, settings.Proxy.TlsIntercept!.CaValidityDays);
        Assert.Equal(["KEEP=yes", "MODE=flag"], settings.Environment.SetVars.Select(v => $"{v.Key}={v.Value}").Order());
    }

    [Fact]
    public void Block_net_flag_overrides_a_profile_allowlist_and_allow_net_overrides_block()
    {
        using var host = new TestHost();
        host.WriteUserProfile("open", """{"extends": "default", "network": {"allow_domain": ["a.example.com"]}}""");
        host.WriteUserProfile("closed", """{"extends": "default", "network": {"block": true}}""");

        Assert.Equal(NetworkMode.Blocked, host.Resolve(new SessionFlags { Profile = "open", BlockNetwork = true }).NetworkMode);
        var hostMode = host.Resolve(new SessionFlags { Profile = "closed", AllowNetwork = true });
        Assert.Equal(NetworkMode.Host, hostMode.NetworkMode);
        Assert.Empty(hostMode.CreateProxyConfig().AllowedHosts);
        Assert.Equal(NetworkMode.Host, hostMode.CreateSandboxPolicy().Network.Mode);
    }

    [Fact]
    public void Contradictory_network_flags_are_errors()
    {
        using var host = new TestHost();

        Assert.Contains("contradict", Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { AllowNetwork = true, BlockNetwork = true })).Message);
        Assert.Contains("has no effect", Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { AllowNetwork = true, AllowDomains = ["a.example.com"] })).Message);
    }

    [Fact]
    public void Bad_flag_values_name_the_flag()
    {
        using var host = new TestHost();

        Assert.StartsWith("command line (--allow-domain): 'https://x.example.com' is a URL",
            Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { AllowDomains = ["https://x.example.com"] })).Message);
        Assert.StartsWith("command line (--network-profile): unknown network group 'nmp'",
            Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { NetworkProfiles = ["nmp"] })).Message);
        Assert.StartsWith("command line (--proxy-ca-validity): 0 is not a number of days",
            Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { ProxyCaValidityDays = 0 })).Message);
        Assert.StartsWith("command line (--env): expected NAME=VALUE",
            Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { SetVars = ["JUSTANAME"] })).Message);
    }

    [Fact]
    public void Network_groups_expand_to_their_hosts_in_allow_domain_and_network_profile()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"allow_domain": ["github", "*.example.com"], "network_profile": "package_registries"}}""");

        var hosts = host.Resolve(new SessionFlags { Profile = "p" }).Proxy.AllowedHosts;

        Assert.Superset(NetworkGroups.Hosts("github").ToHashSet(), hosts.ToHashSet());
        Assert.Superset(new HashSet<string> { "registry.npmjs.org", "pypi.org", "crates.io", "proxy.golang.org", "rubygems.org", "repo.maven.apache.org", "api.nuget.org" }, hosts.ToHashSet());
        Assert.Contains("*.example.com", hosts);
        Assert.Equal(hosts.Distinct().Order(StringComparer.Ordinal), hosts);
    }

    [Fact]
    public void Upstream_bypass_without_an_upstream_proxy_is_an_error()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("p", "{\"network\": {\n  \"upstream_bypass\": [\"intranet.example.com\"]}}");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));
        Assert.StartsWith($"{path}:2:23: upstream_bypass lists hosts", error.Message);
        Assert.StartsWith("command line (--upstream-bypass)",
            Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { UpstreamBypass = ["a.example.com"] })).Message);
    }

    [Fact]
    public void Upstream_proxy_and_bypass_become_the_external_proxy()
    {
        using var host = new TestHost();

        var external = host.Resolve(new SessionFlags { UpstreamProxy = "http://Squid.Corp.example:3128", UpstreamBypass = ["*.corp.example"] }).Proxy.ExternalProxy!;

        Assert.Equal("squid.corp.example:3128", external.Address);
        Assert.Equal(["*.corp.example"], external.BypassHosts);
    }

    [Fact]
    public void Tls_interception_is_on_exactly_when_credential_routes_exist_unless_set()
    {
        using var host = new TestHost();

        Assert.Null(host.Resolve().Proxy.TlsIntercept);
        var withRoute = host.Resolve(new SessionFlags { Credentials = ["openai"] }).Proxy.TlsIntercept!;
        Assert.Equal(new TlsInterceptConfig { CaValidityDays = 1, InterceptAll = false, NameConstraints = true }, withRoute);
        Assert.Null(host.Resolve(new SessionFlags { Credentials = ["openai"], TlsIntercept = false }).Proxy.TlsIntercept);
        Assert.NotNull(host.Resolve(new SessionFlags { TlsIntercept = true }).Proxy.TlsIntercept);
        Assert.Equal(7, host.Resolve(new SessionFlags { ProxyCaValidityDays = 7 }).Proxy.TlsIntercept!.CaValidityDays);
    }

    [Fact]
    public void Tls_settings_with_interception_off_are_an_error()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("p", "{\"network\": {\"tls_intercept\": {\"enabled\": false,\n \"intercept_all\": true}}}");

        Assert.StartsWith($"{path}:2:19: TLS interception is turned off", Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" })).Message);
    }

    [Fact]
    public void An_unknown_credential_service_is_an_error_listing_the_known_ones()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("p", """{"network": {"credentials": ["openai", "gemini"]}}""");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));
        Assert.Equal($"{path}:1:40: unknown credential service 'gemini'; built-in services: github, openai. To use your own, define network.custom_credentials.gemini and list it here", error.Message);
    }

    [Fact]
    public void Network_only_scope_ignores_the_filesystem()
    {
        using var host = new TestHost();
        var homeAsWorkdir = host.Environment with { WorkDir = host.Home };

        var settings = SessionResolver.Resolve(homeAsWorkdir, new SessionFlags { AllowDomains = ["a.example.com"] }, SessionScope.NetworkOnly, new TestCatalog());

        Assert.Empty(settings.Grants);
        Assert.Equal(["a.example.com"], settings.CreateProxyConfig().AllowedHosts);
    }

    [Fact]
    public void Proxy_ports_and_extra_ports_reach_the_policy()
    {
        using var host = new TestHost();

        var policy = host.Resolve(new SessionFlags { ConnectPorts = [5432, 5432], BindPorts = [8080], RequireIsolation = true }).CreateSandboxPolicy(41000);

        Assert.Equal([41000], policy.Network.ProxyPorts);
        Assert.Equal([5432], policy.Network.ConnectPorts);
        Assert.Equal([8080], policy.Network.BindPorts);
        Assert.True(policy.RequireIsolation);
    }

    [Fact]
    public void The_same_settings_feed_the_sandbox_and_the_proxy()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { Profile = "claude-code", Credentials = ["openai"] });

        var config = settings.CreateProxyConfig() with { BindPort = 8080, RequireAuth = false };

        Assert.Equal(settings.Proxy.AllowedHosts, config.AllowedHosts);
        Assert.Equal(settings.Proxy.Routes, config.Routes);
        Assert.Equal(8080, config.BindPort);
        Assert.Equal(NetworkMode.Proxy, settings.CreateSandboxPolicy(8080).Network.Mode);
        var bundle = FsGrant.File("/run/user/1000/nono-session/ca.pem", FsAccess.Read);
        Assert.Contains(bundle, settings.CreateSandboxPolicy([8080], [bundle]).Grants);
    }
}
