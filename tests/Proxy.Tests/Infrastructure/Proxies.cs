using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.Proxy.Tests.Infrastructure;

public static class Proxies
{
    public static ProxyConfig Loopback(Func<ProxyConfig, ProxyConfig>? configure = null)
    {
        var config = new ProxyConfig { BindAddress = "127.0.0.1", BindPort = 0, Resolver = Resolve };
        return configure is null ? config : configure(config);
    }

    /// <summary>The test origin's name resolves to loopback for the proxy only; everything else as usual.</summary>
    public static async ValueTask<IPAddress[]> Resolve(string host, CancellationToken ct) =>
        host == OriginServer.Host ? [IPAddress.Loopback] : await Dns.GetHostAddressesAsync(host, ct);

    public static Task<ProxyHandle> StartAsync(ProxyConfig? config = null) =>
        ProxyServer.StartAsync(config ?? Loopback(), TestContext.Current.CancellationToken).AsTask();

    /// <summary>An HttpClient that uses the proxy with the session token as proxy credentials.</summary>
    public static HttpClient Client(ProxyHandle proxy, string? password = null, bool trustAny = false)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://127.0.0.1:{proxy.Port}") { Credentials = new NetworkCredential("nono", password ?? proxy.Token) },
            UseProxy = true,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        };
        if (trustAny)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Sends raw bytes to the proxy and returns everything it answers until it closes (or the timeout).</summary>
    public static async Task<string> RawAsync(int port, string request, TimeSpan? wait = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request));
        return await ReadAllAsync(socket, wait ?? TimeSpan.FromSeconds(10));
    }

    public static async Task<string> ReadAllAsync(Socket socket, TimeSpan wait)
    {
        var sb = new StringBuilder();
        var buffer = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0)
                    break;
                sb.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        return sb.ToString();
    }

    public static string BasicAuth(string token) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("nono:" + token));
}
