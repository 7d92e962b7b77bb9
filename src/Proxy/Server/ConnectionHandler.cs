using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Nono.Proxy.Http;
using Nono.Proxy.Socks;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Server;

/// <summary>Runs one accepted connection: SOCKS5 when its first byte is 0x05, otherwise HTTP.</summary>
internal static class ConnectionHandler
{
    /// <param name="closing">Called once, after the exchange and before the socket is closed.</param>
    public static async Task RunAsync(ProxyRuntime runtime, Socket socket, Action closing)
    {
        socket.NoDelay = true;
        var client = ClientConnection.FromSocket(socket);
        await using (client.ConfigureAwait(false))
        {
            try
            {
                await ServeAsync(runtime, client).ConfigureAwait(false);
            }
            finally
            {
                closing();
            }
        }
    }

    private static async Task ServeAsync(ProxyRuntime runtime, ClientConnection client)
    {
        try
        {
            if (await IsSocksAsync(runtime, client).ConfigureAwait(false) is not { } socks)
                return;
            if (socks)
                await new Socks5Handler(runtime, client, ConnectHandler.ServeInterceptedAsync).RunAsync(runtime.AbortToken).ConfigureAwait(false);
            else
                await new HttpSession(runtime, client, null).RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
            or HttpFramingException or InvalidOperationException)
        {
            // The peer went away or broke framing mid-exchange; nothing more can be said to it.
        }
    }

    /// <summary>Peeks at the first byte without consuming it; null when the client sent nothing.</summary>
    private static async ValueTask<bool?> IsSocksAsync(ProxyRuntime runtime, ClientConnection client)
    {
        // A new connection that has not sent a byte holds a slot for nothing: it gets a short first-byte
        // deadline (never longer than the header timeout), not the idle timeout meant for kept-alive
        // connections between requests.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(runtime.ShutdownToken);
        idle.CancelAfter(runtime.Config.FirstByteTimeout < runtime.Config.HeaderTimeout ? runtime.Config.FirstByteTimeout : runtime.Config.HeaderTimeout);
        ReadResult first;
        try
        {
            first = await client.Reader.ReadAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var buffer = first.Buffer;
        if (buffer.IsEmpty)
            return null;
        var isSocks = new SequenceReader<byte>(buffer).TryPeek(out var b) && b == 5;
        client.Reader.AdvanceTo(buffer.Start);
        return isSocks;
    }
}
