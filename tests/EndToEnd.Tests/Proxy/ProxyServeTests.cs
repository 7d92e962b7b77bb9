using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>`nono proxy` as a long-lived server: its printed exports are all a client needs, and SIGTERM stops it cleanly.</summary>
public sealed class ProxyServeTests
{
    // 127.0.0.1 is in the printed NO_PROXY, so the origins live elsewhere on the loopback network.
    private const string AllowedAddress = "127.0.0.2";
    private const string OtherAddress = "127.0.0.3";

    [Fact]
    public async Task Printed_exports_route_curl_through_the_allowlist_and_sigterm_exits_0_removing_the_bundle()
    {
        using var allowed = new TinyOrigin(AllowedAddress);
        using var other = new TinyOrigin(OtherAddress);
        using var nono = Process.Start(new ProcessStartInfo(NonoBinary.Path)
        {
            ArgumentList = { "proxy", "--allow-domain", AllowedAddress, "--proxy-ca-validity", "1" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stderr = nono.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            var exports = await ReadExportsAsync(nono);
            Assert.True(exports.ContainsKey("HTTP_PROXY"), string.Join("\n", exports.Keys));
            Assert.Equal(exports["HTTP_PROXY"], exports["https_proxy"]);
            var bundle = exports["SSL_CERT_FILE"];
            Assert.True(File.Exists(bundle));

            var ok = await CurlAsync(exports, $"http://{AllowedAddress}:{allowed.Port}/");
            var refused = await CurlAsync(exports, $"http://{OtherAddress}:{other.Port}/");

            Assert.Equal("200 hello", ok);
            Assert.StartsWith("403", refused, StringComparison.Ordinal);
            Assert.Equal(0, other.Requests);

            using (var kill = Process.Start("kill", ["-TERM", nono.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await nono.WaitForExitAsync(timeout.Token);

            Assert.True(nono.ExitCode == 0, await stderr);
            Assert.False(File.Exists(bundle));
        }
        finally
        {
            if (!nono.HasExited)
                nono.Kill();
        }
    }

    internal static async Task<Dictionary<string, string>> ReadExportsAsync(Process nono)
    {
        var exports = new Dictionary<string, string>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await nono.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("# serving", StringComparison.Ordinal))
                return exports;
            if (!line.StartsWith("export ", StringComparison.Ordinal))
                continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            exports[line["export ".Length..eq]] = line[(eq + 1)..].Trim('\'');
        }

        throw new InvalidOperationException("nono proxy exited before it was serving");
    }

    private static async Task<string> CurlAsync(Dictionary<string, string> exports, string url)
    {
        var env = new Dictionary<string, string?>(exports.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
        var result = await Run.ProcessAsync("curl", ["-s", "--max-time", "20", "-w", " %{http_code}", "-o", "/dev/stderr", url], env);
        return result.ExitCode == 0 ? $"{result.Stdout.Trim()} {result.Stderr.Trim()}".Trim() : result.ToString();
    }

    /// <summary>An HTTP origin answering "hello" to every request, on one loopback address.</summary>
    internal sealed class TinyOrigin : IDisposable
    {
        private readonly TcpListener _listener;
        private int _requests;

        public TinyOrigin(string address)
        {
            _listener = new TcpListener(IPAddress.Parse(address), 0);
            _listener.Start();
            _ = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Requests => Volatile.Read(ref _requests);

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var head = new StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer);
                        if (n == 0)
                            break;
                        head.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    }

                    Interlocked.Increment(ref _requests);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"u8.ToArray());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
