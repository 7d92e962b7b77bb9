using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Nono.Supervisor.Control;

/// <summary>The CLI's side of the control channel: one request, one reply.</summary>
internal static class ControlClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The session's reply; null when nothing answers there (the session ended, or refused the connection).</summary>
    public static async Task<ControlReply?> SendAsync(string socketPath, ControlRequest request)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, ControlJsonContext.Default.ControlRequest) + "\n");
            await socket.SendAsync(bytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);

            using var received = new MemoryStream();
            var buffer = new byte[16 * 1024];
            while (received.Length < 4 * 1024 * 1024)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                    break;
                received.Write(buffer, 0, read);
                if (Array.IndexOf(buffer, (byte)'\n', 0, read) >= 0)
                    break;
            }

            return received.Length == 0 ? null : JsonSerializer.Deserialize(received.ToArray(), ControlJsonContext.Default.ControlReply);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or IOException or JsonException)
        {
            return null;
        }
    }
}
