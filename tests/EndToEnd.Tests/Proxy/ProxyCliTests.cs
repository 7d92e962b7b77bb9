namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>`nono proxy` refuses the unsafe flag combinations before it listens on anything.</summary>
public sealed class ProxyCliTests
{
    [Theory]
    [InlineData("open proxy", "--no-auth", "--listen", "0.0.0.0")]
    [InlineData("must not be empty", "--pass", "")]
    [InlineData("contradict", "--no-auth", "--pass", "s3cret")]
    [InlineData("no upstream_proxy is set", "--upstream-bypass", "internal.example")]
    [InlineData("not an IP address", "--listen", "localhost")]
    public async Task Unsafe_or_contradictory_flags_are_refused_with_exit_2(string message, params string[] flags)
    {
        var result = await Run.ProcessAsync(NonoBinary.Path, ["proxy", .. flags]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("export", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_cannot_listen_exits_126_as_under_run()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await Run.ProcessAsync(NonoBinary.Path, ["proxy", "--port", port]);

        Assert.Equal(126, result.ExitCode);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
    }
}
