using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

/// <summary>What the server saw of one connection.</summary>
internal sealed record ServerObservation(TlsInterceptFailure? Failure, SslApplicationProtocol Protocol, string? Sni, Exception? Error = null)
{
    public bool Succeeded => Failure is null && Error is null;
}

/// <summary>
/// A real HTTPS origin on 127.0.0.1:0. Each connection is either intercepted by a
/// <see cref="TlsInterceptor"/> for a fixed CONNECT host (as the proxy will do), or terminated with a
/// given leaf. It answers one HTTP/1.1 request: a git smart-HTTP ref advertisement for
/// <c>/repo.git/info/refs</c>, "hello from nono" for anything else.
/// </summary>
internal sealed class TestTlsServer : IAsyncDisposable
{
    public const string Greeting = "hello from nono";
    public const string GitCommit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<ServerObservation> _observations = Channel.CreateUnbounded<ServerObservation>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Stream, CancellationToken, Task<(Stream? Stream, ServerObservation Observation)>> _accept;
    private readonly Task _loop;

    private TestTlsServer(Func<TestTlsServer, Func<Stream, CancellationToken, Task<(Stream?, ServerObservation)>>> accept)
    {
        _listener.Start();
        _accept = accept(this);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TestTlsServer Intercepting(TlsInterceptor interceptor, string connectHost) => new(server => async (stream, ct) =>
    {
        var result = await interceptor.AcceptAsync(stream, connectHost, server.Port, ct);
        return result.Succeeded
            ? (result.Stream, new ServerObservation(null, result.ApplicationProtocol, result.Tls!.TargetHostName))
            : (null, new ServerObservation(result.Failure, default, null));
    });

    public static TestTlsServer Presenting(LeafCertificate leaf) => new(_ => async (stream, ct) =>
    {
        var tls = new SslStream(stream);
        try
        {
            await tls.AuthenticateAsServerAsync(leaf.CreateServerOptions([SslApplicationProtocol.Http11]), ct);
            return (tls, new ServerObservation(null, tls.NegotiatedApplicationProtocol, tls.TargetHostName));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await tls.DisposeAsync();
            return (null, new ServerObservation(null, default, null, ex));
        }
    });

    /// <summary>The next connection's observation, in arrival order.</summary>
    public async Task<ServerObservation> NextObservationAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await _observations.Reader.ReadAsync(timeout.Token);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(socket));
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        try
        {
            var (stream, observation) = await _accept(new NetworkStream(socket, ownsSocket: true), _stop.Token);
            _observations.Writer.TryWrite(observation);
            if (stream is not null)
            {
                await using (stream)
                {
                    await ServeOneRequestAsync(stream, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static async Task ServeOneRequestAsync(Stream stream, CancellationToken ct)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                return;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var target = head.ToString().Split(' ', 3)[1];
        var (contentType, body) = target.StartsWith("/repo.git/info/refs", StringComparison.Ordinal)
            ? ("application/x-git-upload-pack-advertisement", GitAdvertisement())
            : ("text/plain", Encoding.ASCII.GetBytes(Greeting + "\n"));
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nCache-Control: no-cache\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(response, ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }

    // A protocol v0 ref advertisement with a single branch: enough for `git ls-remote`.
    internal static byte[] GitAdvertisement()
    {
        static string PktLine(string payload) => $"{payload.Length + 4:x4}{payload}";
        return Encoding.ASCII.GetBytes(
            PktLine("# service=git-upload-pack\n") + "0000"
            + PktLine($"{GitCommit} refs/heads/main\0agent=nono-test\n") + "0000");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
