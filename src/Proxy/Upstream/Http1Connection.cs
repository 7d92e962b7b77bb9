using System.IO.Pipelines;
using System.Net.Sockets;

namespace Nono.Proxy.Upstream;

/// <summary>A kept-alive HTTP/1.1 connection to one upstream host and port, with its pipes.</summary>
internal sealed class Http1Connection : IDisposable
{
    private readonly NetworkStream _stream;

    public Http1Connection(UpstreamLink link)
    {
        Socket = link.Socket;
        SendsAbsoluteForm = link.SendsAbsoluteForm;
        _stream = new NetworkStream(link.Socket, ownsSocket: true);
        Reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        Writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 8 * 1024, leaveOpen: true));
        LastUsed = Environment.TickCount64;
    }

    public Socket Socket { get; }

    /// <summary>The connection goes to the external proxy: requests carry an absolute-form target and its credentials.</summary>
    public bool SendsAbsoluteForm { get; }

    public PipeReader Reader { get; }

    public PipeWriter Writer { get; }

    public long LastUsed { get; set; }

    /// <summary>True when the upstream has neither closed nor sent anything since the last response.</summary>
    public bool LooksIdle()
    {
        try
        {
            // Readable on an idle keep-alive connection means EOF, a reset, or bytes nobody asked for.
            return !Socket.Poll(0, SelectMode.SelectRead) && !Reader.TryRead(out _);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when bytes beyond the last response are already buffered: the connection is out of step.</summary>
    public bool HasStrayBytes()
    {
        if (!Reader.TryRead(out var result))
            return false;
        Reader.AdvanceTo(result.Buffer.Start);
        return !result.Buffer.IsEmpty || result.IsCompleted;
    }

    public void Dispose()
    {
        Reader.Complete();
        Writer.Complete();
        _stream.Dispose();
    }
}
