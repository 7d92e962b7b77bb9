using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class NetworkGroupTests
{
    public static TheoryData<string> Groups => [.. NetworkGroups.Names];

    [Theory]
    [MemberData(nameof(Groups))]
    public void Every_host_in_every_group_is_a_valid_exact_host(string group)
    {
        var hosts = NetworkGroups.Hosts(group);

        Assert.NotEmpty(hosts);
        Assert.All(hosts, host =>
        {
            Assert.True(HostPattern.TryNormalize(host, out var normalized, out var error), error);
            Assert.Equal(host, normalized);
            Assert.DoesNotContain("*", host, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_documented_groups_exist_with_their_key_hosts()
    {
        Assert.Superset(new HashSet<string> { "api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com" }, NetworkGroups.Hosts("llm_apis").ToHashSet());
        Assert.Superset(new HashSet<string> { "github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com", "raw.githubusercontent.com" }, NetworkGroups.Hosts("github").ToHashSet());
        Assert.Superset(
            new HashSet<string> { "registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "crates.io", "static.crates.io", "index.crates.io", "proxy.golang.org", "sum.golang.org", "rubygems.org", "repo.maven.apache.org", "api.nuget.org" },
            NetworkGroups.Hosts("package_registries").ToHashSet());
        Assert.Contains("gitlab.com", NetworkGroups.Hosts("gitlab"));
        Assert.Contains("registry-1.docker.io", NetworkGroups.Hosts("docker"));
    }

    [Fact]
    public void Group_names_can_never_be_mistaken_for_hosts() =>
        Assert.All(NetworkGroups.Names, name => Assert.DoesNotContain(".", name, StringComparison.Ordinal));

    [Theory]
    [InlineData("API.GitHub.com", "api.github.com")]
    [InlineData("  example.com ", "example.com")]
    [InlineData("*.Example.org", "*.example.org")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("my_host.internal.example", "my_host.internal.example")]
    public void Valid_host_patterns_are_normalised(string pattern, string expected)
    {
        Assert.True(HostPattern.TryNormalize(pattern, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("*.10.0.0.5")]
    [InlineData("example.com.")]
    [InlineData("exa mple.com")]
    [InlineData("**.example.com")]
    [InlineData("*.*.example.com")]
    public void Other_invalid_host_patterns_are_refused(string pattern) =>
        Assert.False(HostPattern.TryNormalize(pattern, out _, out _));

    [Fact]
    public void A_group_in_allow_domain_expands_and_a_host_stays_itself()
    {
        var where = new SourceLocation("t", 1, 1);

        Assert.Equal(NetworkGroups.Hosts("pypi"), NetworkGroups.Expand(new Located<string>("pypi", where)));
        Assert.Equal(["api.example.com"], NetworkGroups.Expand(new Located<string>("API.example.com", where)));
    }
}
