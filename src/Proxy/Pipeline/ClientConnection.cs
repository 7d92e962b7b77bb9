using System.IO.Pipelines;
using System.Net.Sockets;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// One client connection as the request loop sees it: a pipe pair over a stream. The stream is a
/// socket's for a plain connection, or a decrypted TLS stream for an intercepted tunnel; only the
/// former has a <see cref="Socket"/> (raw tunnels need it).
/// </summary>
internal sealed class ClientConnection : IAsyncDisposable
{
    private readonly Stream _stream;

    private ClientConnection(Stream stream, Socket? socket)
    {
        _stream = stream;
        Socket = socket;
        Reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        Writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 8 * 1024, leaveOpen: true));
    }

    public Socket? Socket { get; }

    public PipeReader Reader { get; }

    public PipeWriter Writer { get; }

    public static ClientConnection FromSocket(Socket socket) => new(new NetworkStream(socket, ownsSocket: false), socket);

    public static ClientConnection FromStream(Stream stream) => new(stream, null);

    /// <summary>
    /// Ends the connection after an error response sent before the request body was read: stop sending,
    /// then read and drop what the client is still sending (bounded in time and size), so that closing does
    /// not reset the connection and destroy the response before the client has read it.
    /// </summary>
    public async ValueTask LingerAsync()
    {
        if (Socket is null)
            return;
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            long dropped = 0;
            while (dropped < 8 * 1024 * 1024)
            {
                var result = await Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                dropped += result.Buffer.Length;
                Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    /// <summary>Closes at once, without a graceful end: used when a response cannot be completed.</summary>
    public void Abort()
    {
        try
        {
            if (Socket is not null)
                Socket.Close(0);
            else
                _stream.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (NotSupportedException)
        {
            // A write is still in flight on a TLS stream (a client that stopped reading): disposing the
            // stream below aborts it; the buffered tail is lost with the connection either way.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        Socket?.Dispose();
    }
}
