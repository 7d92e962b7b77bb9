using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>
/// A minimal HTTP/1.1 origin on the host's loopback (127.0.0.2, which the child's proxy variables do
/// not exempt) that answers every request with <see cref="Body"/> and records each request head, so a
/// test can see what actually arrived (e.g. the injected credential).
/// </summary>
internal sealed class TestOrigin : IAsyncDisposable
{
    public const string Body = "hello from the origin";
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="address">127.0.0.2 by default: the proxy variables exempt 127.0.0.1, so a client reaches
    /// 127.0.0.2 through the proxy.</param>
    public TestOrigin(string address = "127.0.0.2")
    {
        Host = address;
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Host { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://{Host}:{Port}";

    /// <summary>Request heads received so far (request line and headers).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Requests.Enqueue(head.ToString());
            var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
        {
        }
    }
}
