namespace Nono.Sandbox.Tests;

public sealed class PathUtilTests
{
    [Theory]
    [InlineData("/home/u/.ssh", "/home/u", true)]
    [InlineData("/home/u", "/home/u", true)]
    [InlineData("/home/user", "/home/u", false)]
    [InlineData("/etc", "/", true)]
    [InlineData("/home", "/home/u", false)]
    public void IsSameOrBelow_respects_segment_boundaries(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, PathUtil.IsSameOrBelow(path, ancestor));

    [Theory]
    [InlineData("a/../b/", "/w", "/w/b")]
    [InlineData("/x/./y//", "/w", "/x/y")]
    [InlineData("/", "/w", "/")]
    public void Normalize_makes_absolute_and_collapses_dots(string path, string baseDir, string expected) =>
        Assert.Equal(expected, PathUtil.Normalize(path, baseDir));

    [Fact]
    public void Sensitive_paths_cover_ssh_keys_below_home() =>
        Assert.True(SensitivePaths.Covers("/home/u", "/home/u/.ssh/id_ed25519"));

    [Fact]
    public void Relative_grant_is_rejected()
    {
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory("relative/dir", FsAccess.Read)] };
        var error = Assert.Throws<PolicyException>(policy.Validate);
        Assert.Contains("not absolute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_mode_without_a_port_is_rejected()
    {
        var policy = new SandboxPolicy { Network = new NetworkPolicy { Mode = NetworkMode.Proxy } };
        Assert.Throws<PolicyException>(policy.Validate);
    }
}
