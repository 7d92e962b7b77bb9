using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Nono.Supervisor.Control;

/// <summary>
/// The session's control socket: a unix stream socket bound by path (never an abstract name, which
/// any process of the network namespace could reach) in the session's 0700 directory, mode 0600.
/// Each connection carries one request line and gets one reply line; a peer that is not the same
/// user outside the sandbox (<see cref="PeerCredentials"/>) is closed without an answer. Requests are
/// handled one at a time, so changes are applied in the order they arrived.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Func<ControlRequest, PeerCredentials, ControlReply> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ControlServer(string path, Socket listener, Func<ControlRequest, PeerCredentials, ControlReply> handle)
    {
        Path = path;
        _listener = listener;
        _handle = handle;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Path { get; }

    /// <summary>Binds <paramref name="path"/> (which must not exist) and starts answering.</summary>
    public static ControlServer Start(string path, Func<ControlRequest, PeerCredentials, ControlReply> handle)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new ControlServer(path, listener, handle);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The session directory goes as a whole right after.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                await ServeAsync(client).ConfigureAwait(false);
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            if (PeerCredentials.Refusal(client) is { } refusal)
            {
                Console.Error.WriteLine($"nono: refused a control connection: {refusal}");
                return;
            }

            var peer = PeerCredentials.Of(client);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            var line = await ReadLineAsync(client, timeout.Token).ConfigureAwait(false);
            ControlReply reply;
            try
            {
                reply = line is null
                    ? new ControlReply { Error = "the request is not one JSON line" }
                    : JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequest) is { } request
                        ? _handle(request, peer)
                        : new ControlReply { Error = "empty request" };
            }
            catch (JsonException)
            {
                reply = new ControlReply { Error = "the request is not valid JSON" };
            }

            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(reply, ControlJsonContext.Default.ControlReply) + "\n");
            await client.SendAsync(bytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or IOException)
        {
            // A client that went away or stalled; the next one is served.
        }
    }

    /// <summary>Reads up to the first newline, at most <see cref="MaxRequestBytes"/>; null when there is none.</summary>
    private static async Task<string?> ReadLineAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[MaxRequestBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, ct).ConfigureAwait(false);
            if (read == 0)
                break;
            var newline = Array.IndexOf(buffer, (byte)'\n', filled, read);
            filled += read;
            if (newline >= 0)
                return Encoding.UTF8.GetString(buffer, 0, newline);
        }

        return null;
    }
}
