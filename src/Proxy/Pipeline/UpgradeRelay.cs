using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Http;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// The byte relay after a completed WebSocket handshake: the 101 goes to the client, then bytes flow both
/// ways until one side closes. The other direction then gets a short grace period to deliver what it
/// still has (the peer's close frame), and both ends are closed by the caller.
/// </summary>
internal static class UpgradeRelay
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    /// <summary>The 101 head for the client: the upgrade fields, then the upstream's end-to-end fields (Sec-WebSocket-*).</summary>
    public static void WriteSwitchingHead(IBufferWriter<byte> writer, IEnumerable<HeaderField> upstreamHeaders)
    {
        var sb = new StringBuilder(256);
        sb.Append("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n");
        var headers = upstreamHeaders as IReadOnlyCollection<HeaderField> ?? upstreamHeaders.ToList();
        var named = HopByHop.NamedByConnection(headers);
        foreach (var (name, value) in headers)
        {
            if (!HopByHop.IsHopByHop(name, named) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        sb.Append("\r\n");
        ResponseWriter.Write(writer, sb.ToString(), Encoding.Latin1);
    }

    /// <summary>Relays between the client and an upstream stream (the invoker's upgraded connection).</summary>
    public static async Task RunAsync(ClientConnection client, Stream upstream, CancellationToken ct)
    {
        var reader = PipeReader.Create(upstream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        var writer = PipeWriter.Create(upstream, new StreamPipeWriterOptions(leaveOpen: true));
        await RunAsync(client, reader, writer, ct).ConfigureAwait(false);
    }

    /// <summary>Relays between the client and an upstream pipe pair; returns when both directions have ended.</summary>
    public static async Task RunAsync(ClientConnection client, PipeReader upstreamReader, PipeWriter upstreamWriter, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (!await FlushAsync(client.Writer, stop.Token).ConfigureAwait(false))
            return;
        var up = PumpAsync(client.Reader, upstreamWriter, stop.Token);
        var down = PumpAsync(upstreamReader, client.Writer, stop.Token);
        await Task.WhenAny(up, down).ConfigureAwait(false);
        stop.CancelAfter(Linger);
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    private static async Task PumpAsync(PipeReader from, PipeWriter to, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // One side went away or the grace period ended: the caller closes both.
        }
    }

    private static async ValueTask<bool> FlushAsync(PipeWriter writer, CancellationToken ct)
    {
        try
        {
            await writer.FlushAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }
}
