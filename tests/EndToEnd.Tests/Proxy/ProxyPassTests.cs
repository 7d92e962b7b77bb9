using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>
/// `nono proxy` takes a fixed token from a file, an environment variable or standard input, none of which
/// shows it on the command line; `--pass` still works and warns; short tokens are refused; the banner
/// shows the address really bound.
/// </summary>
public sealed class ProxyPassTests
{
    private const string Token = "fixed-token-0123456789abcdef";

    private sealed record Served(Dictionary<string, string> Exports, List<string> Banner, string CommandLine, string Stderr);

    private static async Task<Served> ServeAsync(string[] flags, IReadOnlyDictionary<string, string>? env = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(NonoBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var flag in (string[])["proxy", .. flags])
            start.ArgumentList.Add(flag);
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var nono = Process.Start(start)!;
        var stderr = nono.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            if (stdin is not null)
                await nono.StandardInput.WriteAsync(stdin.AsMemory(), TestContext.Current.CancellationToken);
            nono.StandardInput.Close();

            var banner = new List<string>();
            var exports = new Dictionary<string, string>(StringComparer.Ordinal);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await nono.StandardOutput.ReadLineAsync(timeout.Token) is { } line && !line.StartsWith("# serving", StringComparison.Ordinal))
            {
                banner.Add(line);
                if (line.StartsWith("export ", StringComparison.Ordinal))
                {
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    exports[line["export ".Length..eq]] = line[(eq + 1)..].Trim('\'');
                }
            }

            var commandLine = await File.ReadAllTextAsync($"/proc/{nono.Id}/cmdline", TestContext.Current.CancellationToken);
            var status = await ProxyStatusAsync(exports, Token);
            banner.Add("status with the fixed token: " + status);
            nono.Kill();
            await nono.WaitForExitAsync(TestContext.Current.CancellationToken);
            return new Served(exports, banner, commandLine, await stderr);
        }
        finally
        {
            if (!nono.HasExited)
                nono.Kill();
        }
    }

    /// <summary>The status the proxy answers a request authenticated with <paramref name="token"/>; 407 means the token was not accepted.</summary>
    private static async Task<string> ProxyStatusAsync(Dictionary<string, string> exports, string token)
    {
        if (!exports.TryGetValue("HTTP_PROXY", out var proxyUrl))
            return "no proxy";
        var uri = new Uri(proxyUrl);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, uri.Port, TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET http://127.0.0.2:1/ HTTP/1.1\r\nHost: 127.0.0.2:1\r\nProxy-Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"), TestContext.Current.CancellationToken);
        var buffer = new byte[64];
        var n = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, n).Split('\r')[0];
    }

    [Fact]
    public async Task Token_from_a_file_is_used_and_never_on_the_command_line()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("nono-pass-").FullName, "token");
        await File.WriteAllTextAsync(path, Token + "\n", TestContext.Current.CancellationToken);

        var served = await ServeAsync(["--pass-file", path]);

        Assert.Contains("# token: " + Token, served.Banner);
        Assert.Matches("^status with the fixed token: HTTP/1.1 (?!407)[0-9]{3}", served.Banner[^1]);
        Assert.DoesNotContain(Token, served.CommandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", served.Stderr, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task Token_from_an_environment_variable_is_used_and_never_on_the_command_line()
    {
        var served = await ServeAsync(["--pass-env", "NONO_TEST_PROXY_TOKEN"], new Dictionary<string, string> { ["NONO_TEST_PROXY_TOKEN"] = Token });

        Assert.Contains("# token: " + Token, served.Banner);
        Assert.Matches("^status with the fixed token: HTTP/1.1 (?!407)[0-9]{3}", served.Banner[^1]);
        Assert.DoesNotContain(Token, served.CommandLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_from_standard_input_is_used_and_never_on_the_command_line()
    {
        var served = await ServeAsync(["--pass-stdin"], stdin: Token + "\n");

        Assert.Contains("# token: " + Token, served.Banner);
        Assert.Matches("^status with the fixed token: HTTP/1.1 (?!407)[0-9]{3}", served.Banner[^1]);
        Assert.DoesNotContain(Token, served.CommandLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pass_on_the_command_line_still_works_with_a_warning()
    {
        var served = await ServeAsync(["--pass", Token]);

        Assert.Contains("# token: " + Token, served.Banner);
        Assert.Matches("^status with the fixed token: HTTP/1.1 (?!407)[0-9]{3}", served.Banner[^1]);
        Assert.Contains("--pass is visible to every local user", served.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Banner_shows_the_wildcard_address_really_bound()
    {
        var served = await ServeAsync(["--listen", "0.0.0.0", "--pass-env", "NONO_TEST_PROXY_TOKEN"], new Dictionary<string, string> { ["NONO_TEST_PROXY_TOKEN"] = Token });

        var listening = Assert.Single(served.Banner, l => l.StartsWith("# nono proxy listening on", StringComparison.Ordinal));
        Assert.StartsWith("# nono proxy listening on 0.0.0.0:", listening, StringComparison.Ordinal);
        Assert.Contains("all interfaces", listening, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("at least 16 characters", "--pass", "x")]
    [InlineData("at least 16 characters", "--pass", "fifteen-chars..")]
    [InlineData("one way only", "--pass-env", "NONO_TEST_UNSET_VARIABLE", "--pass-file", "/dev/null")]
    [InlineData("one way only", "--pass", Token, "--pass-stdin")]
    [InlineData("contradict", "--no-auth", "--pass-stdin")]
    [InlineData("cannot read it", "--pass-file", "/nonexistent/nono-token")]
    [InlineData("not set", "--pass-env", "NONO_TEST_UNSET_VARIABLE")]
    [InlineData("must not be empty", "--pass-file", "/dev/null")]
    public async Task Bad_fixed_tokens_are_refused_with_exit_2(string message, params string[] flags)
    {
        var result = await Run.ProcessAsync(NonoBinary.Path, ["proxy", .. flags]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("export", result.Stdout, StringComparison.Ordinal);
    }
}
