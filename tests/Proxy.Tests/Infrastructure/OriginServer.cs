using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Nono.Proxy.Tests.Infrastructure;

/// <summary>A request as the origin received it.</summary>
public sealed record RecordedRequest(string Method, string Target, List<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string Raw => $"{Method} {Target}\n" + string.Join("\n", Headers.Select(h => $"{h.Key}: {h.Value}")) + "\n\n" + Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A small HTTP/1.1 origin on 127.0.0.1:0 written on raw sockets, with keep-alive, optional TLS, and
/// paths that exercise the proxy: <c>/bytes/N</c>, <c>/chunked</c>, <c>/reset</c>, <c>.../info/refs</c> (a git ref advertisement), anything else echoes.
/// </summary>
public sealed class OriginServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly bool _requireClientCertificate;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;
    private int _connections;

    public OriginServer(X509Certificate2? certificate = null, bool requireClientCertificate = false)
    {
        _certificate = certificate;
        _requireClientCertificate = requireClientCertificate;
        _listener.Start(512);
        _loop = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Name only the proxy can resolve (through the test resolver), so a client that skips the proxy fails.</summary>
    public const string Host = "origin.test";

    public string Url => $"{(_certificate is null ? "http" : "https")}://{Host}:{Port}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Subjects of the client certificates presented in TLS handshakes.</summary>
    public ConcurrentQueue<string> ClientCertificateSubjects { get; } = new();

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptLoop()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_cts.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ClientCertificateRequired = _requireClientCertificate,

                    // Any client certificate is recorded; without one the handshake fails when it is required.
                    RemoteCertificateValidationCallback = (_, cert, _, _) => !_requireClientCertificate || cert is not null,
                });
                if (ssl.RemoteCertificate is { } client)
                    ClientCertificateSubjects.Enqueue(client.Subject);
                stream = ssl;
            }

            var reader = new HttpWireReader(stream);
            while (await reader.ReadRequestAsync() is { } request)
            {
                Requests.Enqueue(request);
                if (!await RespondAsync(stream, socket, request))
                    return;
            }
        }
        catch (Exception)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private static async Task<bool> RespondAsync(Stream stream, Socket socket, RecordedRequest request)
    {
        var path = request.Target.Split('?')[0];
        if (path.StartsWith("/bytes/", StringComparison.Ordinal))
        {
            var n = int.Parse(path["/bytes/".Length..]);
            await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nContent-Type: application/octet-stream\r\n\r\n");
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var left = n; left > 0; left -= Math.Min(left, chunk.Length))
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)));
            return true;
        }

        if (path.StartsWith("/ws", StringComparison.Ordinal) && request.Header("Sec-WebSocket-Key") is { } key)
            return await WebSocketEcho.ServeAsync(stream, path, key);

        if (path == "/chunked")
        {
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");
            return true;
        }

        if (path == "/reset")
        {
            // Promise 100000 bytes, send 1000, then reset the connection.
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + new string('y', 1000));
            await stream.FlushAsync();
            await Task.Delay(100);
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
            return false;
        }

        if (path == "/slow")
        {
            await Task.Delay(1000);
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
            return true;
        }

        if (path == "/extra-bytes")
        {
            // One byte more than the Content-Length promises: the connection must not be reused.
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokX");
            return true;
        }

        if (path == "/close-after")
        {
            // Keep-alive in appearance, but the connection is dropped right after the response.
            await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await stream.FlushAsync();
            return false;
        }

        if (path == "/bad-status")
        {
            await WriteAsync(stream, "HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n");
            return true;
        }

        if (path == "/status/401")
        {
            await WriteAsync(stream, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
            return true;
        }

        if (path.EndsWith("/info/refs", StringComparison.Ordinal))
        {
            var advert = Tls.TestTlsServer.GitAdvertisement();
            await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/x-git-upload-pack-advertisement\r\nCache-Control: no-cache\r\nContent-Length: {advert.Length}\r\n\r\n");
            await stream.WriteAsync(advert);
            return true;
        }

        // Paths containing "quiet" answer without echoing, so credential tests can show the client never sees the key.
        var body = Encoding.UTF8.GetBytes(path.Contains("quiet", StringComparison.Ordinal) ? "ok" : "origin saw: " + request.Raw);
        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nX-Origin: yes\r\n\r\n");
        await stream.WriteAsync(body);
        return true;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.Latin1.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Stop();
        await _loop;
        _cts.Dispose();
    }
}
