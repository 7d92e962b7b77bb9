using Nono.Proxy.Routing;

namespace Nono.Proxy.Tests.Unit;

public sealed class UpstreamTargetTests
{
    private static readonly Uri Upstream = new("https://api.example:8443/base");

    [Theory]
    [InlineData("/v1/caf\u00e9", null)]
    [InlineData("/v1/x y", null)]
    [InlineData("/v1/x\ty", null)]
    [InlineData("/v1/x\u007f", null)]
    [InlineData("/v1/x", "a=\u00e9")]
    [InlineData("/v1/x", "a= b")]
    public void Pieces_outside_visible_ascii_make_no_uri(string path, string? query) =>
        Assert.Null(UpstreamTarget.TryCreate(Upstream, "/base", path, query));

    [Fact]
    public void Visible_ascii_path_and_query_are_kept_byte_for_byte()
    {
        var uri = UpstreamTarget.TryCreate(Upstream, "/base", "/v1/caf%C3%A9/%2e", "q=%20~");

        Assert.NotNull(uri);
        Assert.Equal("/base/v1/caf%C3%A9/%2e?q=%20~", uri.PathAndQuery);
    }
}
