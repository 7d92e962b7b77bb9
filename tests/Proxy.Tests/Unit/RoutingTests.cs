using Nono.Proxy.Routing;

namespace Nono.Proxy.Tests.Unit;

public sealed class RoutingTests
{
    [Theory]
    [InlineData("/a/b", "/a/b")]
    [InlineData("//a///b/", "/a/b/")]
    [InlineData("/a/./b/.", "/a/b")]
    [InlineData("/%61%62c/%7e%2D", "/abc/~-")]
    [InlineData("/a%20b/%3a", "/a%20b/%3A")]
    [InlineData("/", "/")]
    public void Paths_are_normalized(string raw, string expected)
    {
        Assert.True(PathNormalizer.TryNormalize(raw, out var normalized, out _));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("/..")]
    [InlineData("/a/%2e%2e/b")]
    [InlineData("/a/.%2E/b")]
    [InlineData("/a/%zz")]
    [InlineData("/a\\..\\b")]
    [InlineData("/a%2fb")]
    [InlineData("/a%5Cb")]
    [InlineData("/a/%252e%252E/b")]
    [InlineData("/a/%2e/b")]
    [InlineData("/a/b%25252Fc")]
    [InlineData("/public/..;/admin")]
    [InlineData("/public/%2e%2e;jsessionid=1/admin")]
    [InlineData("/a/.;x/b")]
    [InlineData("a/b")]
    public void Traversal_and_malformed_paths_are_refused(string raw)
    {
        Assert.False(PathNormalizer.TryNormalize(raw, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("/v1/*", "/v1/chat", true)]
    [InlineData("/v1/*", "/v1/chat/completions", false)]
    [InlineData("/v1/**", "/v1/chat/completions", true)]
    [InlineData("/v1/*/completions", "/v1/chat/completions", true)]
    [InlineData("/v1/*/completions", "/v1/chat/x/completions", false)]
    [InlineData("/repos/*/*/issues", "/repos/o/r/issues", true)]
    [InlineData("/exact", "/exact", true)]
    [InlineData("/exact", "/exact/more", false)]
    [InlineData("/**", "/anything/at/all", true)]
    public void Endpoint_globs(string glob, string path, bool matches)
    {
        Assert.Equal(matches, EndpointMatcher.Glob(glob, path));
    }

    [Fact]
    public void Endpoint_rules_match_method_and_path()
    {
        EndpointRule[] rules = [new("POST", "/v1/chat/*"), new("*", "/v1/models")];
        Assert.True(EndpointMatcher.IsAllowed(rules, "POST", "/v1/chat/completions"));
        Assert.True(EndpointMatcher.IsAllowed(rules, "get", "/v1/models"));
        Assert.False(EndpointMatcher.IsAllowed(rules, "GET", "/v1/chat/completions"));
        Assert.False(EndpointMatcher.IsAllowed(rules, "DELETE", "/v1/files"));
        Assert.True(EndpointMatcher.IsAllowed([], "DELETE", "/anything"));
    }
}
