using System.IO.Pipelines;
using Nono.Proxy.Http;

namespace Nono.Proxy.Http2;

/// <summary>
/// One client-initiated stream: the request as mapped from its header block, the pipe its DATA frames are
/// written into by the connection's read loop, and its two flow-control windows. Fields marked "flow lock"
/// are only touched under the connection's flow-control lock.
/// </summary>
internal sealed class Http2Stream
{
    public Http2Stream(int id, int sendWindow, int receiveWindow, CancellationToken connectionClosed)
    {
        Id = id;
        SendWindow = sendWindow;
        ReceiveWindow = receiveWindow;
        Cancellation = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
    }

    public int Id { get; }

    /// <summary>The request body as it arrives; never pauses the writer (the receive window bounds it).</summary>
    public Pipe Body { get; } = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));

    /// <summary>Cancelled when the stream is reset (by either side) or the connection ends.</summary>
    public CancellationTokenSource Cancellation { get; }

    public RequestHead? Head { get; set; }

    /// <summary>Content-Length the client declared; DATA must add up to it.</summary>
    public long? DeclaredLength { get; set; }

    /// <summary>Request body octets received so far (read loop only).</summary>
    public long Received { get; set; }

    /// <summary>END_STREAM received, or the stream was reset (read loop only).</summary>
    public bool RemoteClosed { get; set; }

    /// <summary>The response is over: END_STREAM or RST_STREAM sent.</summary>
    public volatile bool ResponseEnded;

    /// <summary>Reset by either side; nothing more is sent or accepted on it.</summary>
    public volatile bool Reset;

    /// <summary>What the client may still send on this stream (flow lock).</summary>
    public long ReceiveWindow { get; set; }

    /// <summary>What the proxy may still send on this stream (flow lock).</summary>
    public long SendWindow { get; set; }

    /// <summary>Octets in <see cref="Body"/> not yet consumed by the request handler (flow lock).</summary>
    public long Unconsumed { get; set; }

    /// <summary>Consumed octets not yet returned to the client with a stream WINDOW_UPDATE (flow lock).</summary>
    public long PendingCredit { get; set; }

    /// <summary>The stream is finished; its unconsumed octets went back to the connection window (flow lock).</summary>
    public bool CreditClosed { get; set; }
}
