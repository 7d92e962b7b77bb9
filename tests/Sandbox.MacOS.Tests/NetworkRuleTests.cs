namespace Nono.Sandbox.MacOS.Tests;

public sealed class NetworkRuleTests
{
    private static IReadOnlyList<Rule> RulesFor(NetworkPolicy network, params FsGrant[] grants) =>
        Profiles.Rules(Profiles.Generate(new SandboxPolicy { Network = network, Grants = grants }));

    private static IEnumerable<SExpression> AllowedNetworkFilters(IReadOnlyList<Rule> rules) =>
        rules.Where(rule => rule.Action == "allow" && rule.Operations.Any(op => op.StartsWith("network", StringComparison.Ordinal)))
            .SelectMany(rule => rule.Filters);

    [Fact]
    public void Blocked_network_allows_no_ip_socket()
    {
        var rules = RulesFor(NetworkPolicy.Blocked);

        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("network*"));
        Assert.DoesNotContain(AllowedNetworkFilters(rules), filter => filter is SExpression.List { Head: "remote" or "local" } list
            && list.Items[1] is SExpression.Atom { Text: "tcp" or "ip" or "udp" });
        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("system-socket") && rule.Filters.Any(f => f.ToString().Contains("AF_INET", StringComparison.Ordinal)));
    }

    [Fact]
    public void Host_network_allows_everything()
    {
        var rules = RulesFor(NetworkPolicy.Host);

        Assert.Contains(rules, rule => rule.Action == "allow" && rule.Operations.SequenceEqual(["network*"]) && rule.Filters.Count == 0);
        Assert.Contains(rules, rule => rule.Action == "allow" && rule.Operations.SequenceEqual(["system-socket"]) && rule.Filters.Count == 0);
    }

    [Fact]
    public void Proxy_network_allows_outbound_tcp_to_the_proxy_port_on_localhost_only()
    {
        var rules = RulesFor(NetworkPolicy.ViaProxy(18080));

        var outbound = Assert.Single(rules, rule => rule.Action == "allow" && rule.Has("network-outbound")
            && rule.Filters.Any(filter => filter.ToString().Contains("tcp", StringComparison.Ordinal)));
        Assert.Equal("(remote tcp \"localhost:18080\")", Assert.Single(outbound.Filters).ToString());
        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("network*"));
        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("network-bind")
            && rule.Filters.Any(filter => filter.ToString().Contains("tcp", StringComparison.Ordinal)));
        Assert.DoesNotContain(AllowedNetworkFilters(rules), filter => filter.ToString().Contains(":*", StringComparison.Ordinal)
            || filter.ToString().Contains("\"*", StringComparison.Ordinal));
    }

    [Fact]
    public void Connect_and_bind_ports_are_allowed_on_localhost_only()
    {
        var rules = RulesFor(NetworkPolicy.ViaProxy(18080, 18081) with { ConnectPorts = [5432], BindPorts = [3000, 3000] });

        var outbound = Assert.Single(rules, rule => rule.Action == "allow" && rule.Has("network-outbound")
            && rule.Filters.Any(filter => filter.ToString().Contains("tcp", StringComparison.Ordinal)));
        Assert.Equal(
            ["(remote tcp \"localhost:18080\")", "(remote tcp \"localhost:18081\")", "(remote tcp \"localhost:5432\")"],
            outbound.Filters.Select(filter => filter.ToString()));

        var bind = Assert.Single(rules, rule => rule.Action == "allow" && rule.Has("network-bind")
            && rule.Filters.Any(filter => filter.ToString().Contains("tcp", StringComparison.Ordinal)));
        Assert.True(bind.Has("network-inbound"));
        Assert.Equal("(local tcp \"localhost:3000\")", Assert.Single(bind.Filters).ToString());
    }

    [Fact]
    public void Blocked_network_still_honours_explicit_loopback_ports()
    {
        var rules = RulesFor(NetworkPolicy.Blocked with { ConnectPorts = [5432] });

        Assert.Contains(AllowedNetworkFilters(rules), filter => filter.ToString() == "(remote tcp \"localhost:5432\")");
    }

    [Fact]
    public void Unix_sockets_are_reachable_only_inside_writable_grants()
    {
        var rules = RulesFor(
            NetworkPolicy.Blocked,
            FsGrant.Directory("/Users/alice/project", FsAccess.ReadWrite),
            FsGrant.Directory("/Users/alice/docs", FsAccess.Read));

        var unixFilters = AllowedNetworkFilters(rules).Select(filter => filter.ToString()).ToList();
        Assert.Contains("(remote unix-socket (subpath \"/Users/alice/project\"))", unixFilters);
        Assert.Contains("(local unix-socket (subpath \"/Users/alice/project\"))", unixFilters);
        Assert.DoesNotContain(unixFilters, filter => filter.Contains("/Users/alice/docs", StringComparison.Ordinal));
    }

    [Fact]
    public void Unix_sockets_under_denied_paths_are_refused_where_a_grant_would_reach_them()
    {
        var rules = RulesFor(NetworkPolicy.ViaProxy(18080), FsGrant.Directory(Profiles.Home, FsAccess.ReadWrite));

        var deny = Assert.Single(rules, rule => rule.Action == "deny" && rule.Has("network-outbound")
            && rule.Filters.Any(filter => filter.ToString().Contains(".gnupg", StringComparison.Ordinal)));
        var allow = Assert.Single(rules, rule => rule.Action == "allow" && rule.Has("network-outbound")
            && rule.Filters.Any(filter => filter.ToString().Contains("unix-socket", StringComparison.Ordinal)));
        Assert.True(deny.Index > allow.Index);
        Assert.Contains(deny.Filters, filter => filter.ToString() == "(remote unix-socket (subpath \"/Users/alice/.gnupg\"))");
    }

    [Fact]
    public void The_launchd_ssh_agent_socket_is_refused_even_when_tmp_is_writable()
    {
        var rules = RulesFor(NetworkPolicy.Host, FsGrant.Directory("/tmp", FsAccess.ReadWrite));

        var deny = Assert.Single(rules, rule => rule.Action == "deny" && rule.Has("network-outbound")
            && rule.Filters.Any(filter => filter.ToString().Contains("com[.]apple[.]launchd", StringComparison.Ordinal)));
        Assert.True(deny.Index > rules.Single(rule => rule.Action == "allow" && rule.Has("network*")).Index);
    }

    [Fact]
    public void Proxy_mode_without_a_port_is_refused()
    {
        Assert.Throws<PolicyException>(() => Profiles.Generate(new SandboxPolicy { Network = NetworkPolicy.ViaProxy() }));
    }
}
