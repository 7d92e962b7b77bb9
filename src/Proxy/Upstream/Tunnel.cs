using System.Buffers;
using System.Net.Sockets;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Copies bytes both ways between two sockets until both sides have finished: with splice(2) on Linux
/// (no copy through user space), else with a buffer per direction. The copying direction waits
/// with a zero-byte receive and only rents a buffer when data is ready, so idle tunnels hold no
/// buffer; a half-close on one side is passed on as a half-close on the other.
/// </summary>
internal static class Tunnel
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(
        Socket client,
        ReadOnlyMemory<byte> toUpstreamFirst,
        Socket upstream,
        ReadOnlyMemory<byte> toClientFirst,
        TimeSpan idleTimeout,
        CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var idle = new IdleTimer(cts, idleTimeout);
        try
        {
            if (!toUpstreamFirst.IsEmpty)
                await SendAllAsync(upstream, toUpstreamFirst, cts.Token).ConfigureAwait(false);
            if (!toClientFirst.IsEmpty)
                await SendAllAsync(client, toClientFirst, cts.Token).ConfigureAwait(false);

            using var spliceUp = SplicePump.TryCreate();
            using var spliceDown = spliceUp is null ? null : SplicePump.TryCreate();
            var (up, down) = spliceUp is not null && spliceDown is not null
                ? (SpliceAsync(spliceUp, client, upstream, idle, cts), SpliceAsync(spliceDown, upstream, client, idle, cts))
                : (PumpAsync(client, upstream, idle, cts), PumpAsync(upstream, client, idle, cts));
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side failed or went idle: both are closed by the caller.
        }
    }

    private static async Task SpliceAsync(SplicePump pump, Socket source, Socket destination, IdleTimer idle, CancellationTokenSource cts)
    {
        try
        {
            await pump.RunAsync(source, destination, idle.Touch, cts.Token).ConfigureAwait(false);
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task PumpAsync(Socket source, Socket destination, IdleTimer idle, CancellationTokenSource cts)
    {
        byte[]? buffer = null;
        var ct = cts.Token;
        try
        {
            var full = false;
            while (true)
            {
                if (!full)
                {
                    // Wait for data without holding a buffer (idle tunnels then cost no memory).
                    await source.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
                var n = await source.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    TryShutdownSend(destination);
                    return;
                }

                idle.Touch();
                await SendAllAsync(destination, buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                full = n == buffer.Length;
                if (!full)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch
        {
            // A failure in one direction ends the other one too.
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private static void TryShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Cancels the tunnel when neither direction has moved a byte for the idle timeout.</summary>
    private sealed class IdleTimer
    {
        private readonly CancellationTokenSource _cts;
        private readonly TimeSpan _timeout;
        private long _lastTouch = Environment.TickCount64;

        public IdleTimer(CancellationTokenSource cts, TimeSpan timeout)
        {
            _cts = cts;
            _timeout = timeout;
            if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
                cts.CancelAfter(timeout);
        }

        public void Touch()
        {
            // Re-arming the timer on every read would cost a timer-queue lock per buffer; re-arm at most
            // once per second instead, which keeps the timeout accurate to that second.
            var now = Environment.TickCount64;
            if (now - _lastTouch < 1000 || _timeout <= TimeSpan.Zero || _timeout == Timeout.InfiniteTimeSpan)
                return;
            _lastTouch = now;
            try
            {
                _cts.CancelAfter(_timeout);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
