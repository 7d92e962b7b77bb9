namespace Nono.Proxy.Tests.Unit;

/// <summary>The host-pattern rule the profile layer applies to allowlists and bypass lists.</summary>
public sealed class HostPatternRuleTests
{
    [Theory]
    [InlineData(" API.GitHub.com ", "api.github.com")]
    [InlineData("*.github.com", "*.github.com")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("my_host.internal.example", "my_host.internal.example")]
    public void Hosts_wildcards_and_ipv4_are_normalised(string pattern, string expected)
    {
        var check = HostPatternRule.Check(pattern);

        Assert.Equal(expected, check.Normalized);
        Assert.Null(check.Error);
    }

    [Theory]
    [InlineData("https://api.github.com/x", "is a URL")]
    [InlineData("*", "would allow every host")]
    [InlineData("github.com/path", "contains a path")]
    [InlineData("[::1]", "IPv6")]
    [InlineData("api.github.com:443", "contains a port")]
    [InlineData("*.com", "whole top-level domain")]
    [InlineData("a.*.com", "only allowed as a whole leading label")]
    [InlineData("*.10.0.0.1", "wildcard cannot be combined with an IP address")]
    [InlineData("a..com", "empty label")]
    [InlineData("-a.com", "cannot start or end with '-'")]
    [InlineData("bücher.de", "xn--")]
    [InlineData("", "empty host name")]
    public void Non_hosts_are_refused_with_the_reason(string pattern, string reason)
    {
        var check = HostPatternRule.Check(pattern);

        Assert.Null(check.Normalized);
        Assert.Contains(reason, check.Error, StringComparison.Ordinal);
        Assert.False(check.SingleLabel);
    }

    [Fact]
    public void A_name_without_a_dot_is_marked_so_a_caller_can_suggest_its_groups()
    {
        var check = HostPatternRule.Check("github");

        Assert.Null(check.Normalized);
        Assert.True(check.SingleLabel);
    }
}
