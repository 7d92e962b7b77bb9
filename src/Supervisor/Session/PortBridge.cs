using System.Net;
using System.Net.Sockets;

namespace Nono.Supervisor.Session;

/// <summary>
/// `--allow-connect-port N` in a network namespace: the child connects to 127.0.0.1:N inside its
/// namespace, where stage 2 listens; the supervisor accepts there and connects to 127.0.0.1:N on the
/// host, copying bytes both ways. Nothing else of the host's network becomes reachable.
/// </summary>
internal sealed class PortBridge : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ushort _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private PortBridge(Socket listener, ushort port)
    {
        _listener = listener;
        _port = port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public static PortBridge Start(Socket listener, ushort port) => new(listener, port);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inside;
            try
            {
                inside = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(inside);
        }
    }

    private async Task RelayAsync(Socket inside)
    {
        using var _ = inside;
        using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await outside.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), _stop.Token).ConfigureAwait(false);
            await Task.WhenAll(CopyAsync(inside, outside), CopyAsync(outside, inside)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            from.Close(0);
            to.Close(0);
        }
    }
}
