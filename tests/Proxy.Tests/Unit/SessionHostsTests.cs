using System.Net;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Tests.Unit;

/// <summary>The live allowlist: what may enter it, and where the host filter consults it.</summary>
public sealed class SessionHostsTests
{
    private static HostFilter Filter(SessionHosts hosts, params string[] allowed) => new(new ProxyConfig
    {
        AllowedHosts = allowed,
        DenyUnlistedHosts = true,
        DeniedHosts = ["*.blocked.example", "denied.example.com"],
        SessionHosts = hosts,
        Resolver = (_, _) => ValueTask.FromResult(new[] { IPAddress.Parse("93.184.216.34") }),
    });

    [Theory]
    [InlineData("169.254.169.254", "always refuses")]
    [InlineData("100.100.100.200", "always refuses")]
    [InlineData("metadata.google.internal", "cloud metadata host")]
    [InlineData("metadata", "cloud metadata host")]
    [InlineData("https://api.example.com", "is a URL")]
    [InlineData("api.example.com/v1", "contains a path")]
    [InlineData("*", "would allow every host")]
    [InlineData("api.example.com:443", "contains a port")]
    public void Bad_hosts_are_refused_with_the_reason(string host, string reason)
    {
        var problem = SessionHosts.Problem(host, out _);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SessionHosts().Allow(host));
    }

    [Fact]
    public void A_host_allowed_at_run_time_passes_the_filter_and_a_host_taken_back_does_not()
    {
        var hosts = new SessionHosts();
        var filter = Filter(hosts, "listed.example.com");

        Assert.False(filter.CheckName("api.example.com", 443).Allowed);
        Assert.Equal(SessionHostChange.Changed, hosts.Allow("API.example.com"));
        Assert.True(filter.CheckName("api.example.com", 443).Allowed);
        Assert.Equal(SessionHostChange.Unchanged, hosts.Allow("api.example.com"));

        Assert.Equal(SessionHostChange.Changed, hosts.Deny("api.example.com"));
        Assert.False(filter.CheckName("api.example.com", 443).Allowed);

        // Taking back a host of the configured allowlist refuses it too.
        hosts.Deny("listed.example.com");
        Assert.False(filter.CheckName("listed.example.com", 443).Allowed);
        Assert.Equal(["api.example.com", "listed.example.com"], hosts.Refused.Select(r => r.Host).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Denied_hosts_win_over_a_run_time_allow()
    {
        var hosts = new SessionHosts();
        var filter = Filter(hosts);
        hosts.Allow("denied.example.com");
        hosts.Allow("*.blocked.example");

        var denied = filter.CheckName("denied.example.com", 443);
        var blocked = filter.CheckName("ads.blocked.example", 443);

        Assert.False(denied.Allowed);
        Assert.Contains("deny_domain", denied.Reason, StringComparison.Ordinal);
        Assert.False(blocked.Allowed);
        Assert.False(denied.Allowable);
    }

    [Fact]
    public void The_first_refusal_of_a_host_is_announced_once_and_the_reason_says_how_to_allow_it()
    {
        var announced = new List<RefusedHost>();
        var hosts = new SessionHosts { FirstRefusal = announced.Add, HowToAllow = host => $"allow it with: nono allow {host}" };
        var filter = Filter(hosts);

        var first = filter.CheckName("api.example.com", 443);
        filter.CheckName("api.example.com", 443);
        filter.CheckName("169.254.169.254", 80);

        Assert.Equal("host not in allowlist; allow it with: nono allow api.example.com", first.Reason);
        Assert.Equal(2, announced.Count);
        Assert.True(announced[0].Allowable);
        Assert.False(announced[1].Allowable);
    }

    [Fact]
    public void Explanation_names_the_matching_allowlist_entry()
    {
        var config = new ProxyConfig { AllowedHosts = ["*.github.com"], DenyUnlistedHosts = true };

        var allowed = HostExplanation.For(config, "api.github.com", 443);
        var refused = HostExplanation.For(config, "github.com", 443);

        Assert.True(allowed.Allowed);
        Assert.Equal("allowlist entry *.github.com", allowed.Reason);
        Assert.False(refused.Allowed);
        Assert.Equal("host not in allowlist", refused.Reason);
    }
}
