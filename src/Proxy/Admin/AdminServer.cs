using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.Proxy.Admin;

/// <summary>
/// The operator's HTTP listener, separate from the proxy port: <c>GET /healthz</c> (200 while the process
/// serves, draining included, so an orchestrator does not kill it mid-drain), <c>GET /readyz</c> (200 once the
/// proxy is serving with its routes loaded, 503 while starting and once draining) and <c>GET /metrics</c>
/// (Prometheus text). It speaks just enough HTTP/1.1 for probes and scrapers: one request per connection,
/// bodies ignored, a bounded head read within a deadline.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private const int MaxHead = 8 * 1024;
    private const int MaxConcurrent = 32;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly Task _loop;
    private ProxyHandle? _proxy;

    private AdminServer(Socket socket)
    {
        _socket = socket;
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        Port = endpoint.Port;
        Address = endpoint.Address;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public IPAddress Address { get; }

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> and starts answering (not ready until <see cref="Attach"/>).</summary>
    /// <exception cref="ProxyStartException">The address cannot be bound.</exception>
    public static AdminServer Start(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(64);
            return new AdminServer(socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ProxyStartException($"cannot listen on {address}:{port} for the admin endpoints: {e.SocketErrorCode}; choose another --admin-listen", e);
        }
    }

    /// <summary>The proxy is serving: readiness and metrics now report it.</summary>
    public void Attach(ProxyHandle proxy) => Volatile.Write(ref _proxy, proxy);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(HeadTimeout);
            var (method, path) = await ReadRequestLineAsync(client, timeout.Token).ConfigureAwait(false);
            var (status, contentType, body) = Answer(method, path);
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
            await client.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (method != "HEAD")
                await client.SendAsync(bytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or FormatException)
        {
        }
        finally
        {
            client.Dispose();
            _slots.Release();
        }
    }

    private (int Status, string ContentType, string Body) Answer(string method, string path)
    {
        if (method is not ("GET" or "HEAD"))
            return (405, "text/plain; charset=utf-8", "only GET and HEAD\n");
        var proxy = Volatile.Read(ref _proxy);
        var q = path.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
            path = path[..q];
        return path switch
        {
            "/healthz" => (200, "text/plain; charset=utf-8", "ok\n"),
            "/readyz" when proxy is null => (503, "text/plain; charset=utf-8", "starting\n"),
            "/readyz" when !proxy.Serving => (503, "text/plain; charset=utf-8", "draining\n"),
            "/readyz" => (200, "text/plain; charset=utf-8", "ready\n"),
            "/metrics" when proxy is null => (200, PrometheusText.ContentType, "# HELP nono_proxy_ready 1 while /readyz answers 200.\n# TYPE nono_proxy_ready gauge\nnono_proxy_ready 0\n"),
            "/metrics" => (200, PrometheusText.ContentType, proxy.MetricsText()),
            _ => (404, "text/plain; charset=utf-8", "not found: /healthz, /readyz and /metrics are served here\n"),
        };
    }

    /// <summary>Reads up to the end of the request head and returns its method and path.</summary>
    private static async Task<(string Method, string Path)> ReadRequestLineAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[MaxHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
                break;
            length += n;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
                break;
        }

        var text = Encoding.ASCII.GetString(buffer, 0, length);
        var end = text.IndexOf("\r\n", StringComparison.Ordinal);
        var parts = (end < 0 ? text : text[..end]).Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            throw new FormatException("not an HTTP/1.x request line");
        return (parts[0], parts[1]);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Service Unavailable",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
