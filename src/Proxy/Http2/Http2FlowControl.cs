namespace Nono.Proxy.Http2;

/// <summary>
/// Flow control (RFC 9113 section 5.2) of one connection in both directions, under one lock: what the
/// client may still send (the windows the proxy advertised, and consumed octets not yet returned to it)
/// and what the proxy may still send (the client's windows). It decides; the connection writes the
/// WINDOW_UPDATE frames and the connection errors it raises.
/// </summary>
internal sealed class Http2FlowControl(Http2Limits limits)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _receiveWindow = limits.ConnectionWindow;
    private long _pendingConnectionCredit;
    private long _sendWindow = 65_535;
    private int _peerInitialWindow = 65_535;

    /// <summary>The client's SETTINGS_INITIAL_WINDOW_SIZE: a new stream's send window.</summary>
    public int PeerInitialWindow
    {
        get
        {
            lock (_lock)
                return _peerInitialWindow;
        }
    }

    /// <summary>
    /// Accounts a DATA frame of <paramref name="length"/> octets (<paramref name="dataLength"/> of them data,
    /// the rest padding). True when the data goes to the stream's body; false when the stream is over or
    /// <paramref name="streamError"/> says why the stream must be reset. A frame beyond the connection
    /// window is a connection error.
    /// </summary>
    public bool AcceptData(Http2Stream? stream, int length, int dataLength, out string? streamError)
    {
        streamError = null;
        lock (_lock)
        {
            if (length > _receiveWindow)
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "DATA beyond the connection's flow-control window");
            _receiveWindow -= length;

            if (stream is not { Reset: false, RemoteClosed: false, CreditClosed: false })
                return false;
            if (length > stream.ReceiveWindow)
            {
                streamError = "DATA beyond the stream's flow-control window";
                return false;
            }

            stream.ReceiveWindow -= length;
            stream.Received += dataLength;
            if (stream.DeclaredLength is { } declared && stream.Received > declared)
            {
                streamError = "request body longer than its content-length";
                return false;
            }

            // Padding is consumed at once; the data when the handler reads it.
            stream.Unconsumed += dataLength;
            return true;
        }
    }

    public void AddConnectionSendWindow(int increment)
    {
        lock (_lock)
        {
            _sendWindow += increment;
            if (_sendWindow > FrameHeader.MaxWindow)
                throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "connection window above 2^31-1");
        }

        Signal();
    }

    public void AddStreamSendWindow(Http2Stream stream, int increment)
    {
        lock (_lock)
        {
            stream.SendWindow += increment;
            if (stream.SendWindow > FrameHeader.MaxWindow)
                throw new Http2StreamException(stream.Id, Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
        }

        Signal();
    }

    /// <summary>A new SETTINGS_INITIAL_WINDOW_SIZE changes every open stream's send window by the difference.</summary>
    public void ChangeInitialSendWindow(int value, IEnumerable<Http2Stream> streams)
    {
        lock (_lock)
        {
            var delta = value - _peerInitialWindow;
            _peerInitialWindow = value;
            foreach (var stream in streams)
            {
                stream.SendWindow += delta;
                if (stream.SendWindow > FrameHeader.MaxWindow)
                    throw new Http2ConnectionException(Http2ErrorCode.FlowControlError, "stream window above 2^31-1");
            }
        }

        Signal();
    }

    /// <summary>Wakes every sender waiting for window (after WINDOW_UPDATE, SETTINGS, resets and at close).</summary>
    public void Signal()
    {
        TaskCompletionSource old;
        lock (_lock)
        {
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    /// <summary>
    /// Waits until both windows allow sending, then takes up to <paramref name="wanted"/> octets (at most
    /// <paramref name="maxFrame"/>) of them. <paramref name="beforeWait"/> runs before each wait (the writer
    /// flushes a head it has held back, which must reach the client before the proxy waits on it).
    /// </summary>
    public async ValueTask<int> ReserveAsync(Http2Stream stream, int wanted, int maxFrame, CancellationToken connectionClosed, Func<ValueTask> beforeWait, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (stream.Reset || connectionClosed.IsCancellationRequested)
                    throw new IOException("the stream was reset or the connection ended");
                var n = (int)Math.Min(Math.Min(wanted, maxFrame), Math.Min(stream.SendWindow, _sendWindow));
                if (n > 0)
                {
                    stream.SendWindow -= n;
                    _sendWindow -= n;
                    return n;
                }

                changed = _changed.Task;
            }

            await beforeWait().ConfigureAwait(false);
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <paramref name="count"/> received octets were consumed (or dropped): the window increments to send
    /// now, once enough have gathered (half the stream window, a quarter of the connection window).
    /// </summary>
    /// <param name="stream">Null for octets of a stream that is over: only the connection window gets them back.</param>
    /// <param name="padding">Padding octets, which were never counted as unconsumed data.</param>
    public (int Stream, int Connection) TakeCredit(Http2Stream? stream, int count, bool padding)
    {
        int streamIncrement = 0, connectionIncrement = 0;
        lock (_lock)
        {
            if (stream is not null)
            {
                if (stream.CreditClosed)
                    return (0, 0); // already returned with the stream's leftovers
                if (!padding)
                    stream.Unconsumed -= count;
                stream.PendingCredit += count;
                if (!stream.RemoteClosed && stream.PendingCredit >= limits.StreamWindow / 2)
                {
                    streamIncrement = (int)stream.PendingCredit;
                    stream.ReceiveWindow += streamIncrement;
                    stream.PendingCredit = 0;
                }
            }

            _pendingConnectionCredit += count;
            if (_pendingConnectionCredit >= limits.ConnectionWindow / 4)
            {
                connectionIncrement = (int)_pendingConnectionCredit;
                _receiveWindow += connectionIncrement;
                _pendingConnectionCredit = 0;
            }
        }

        return (streamIncrement, connectionIncrement);
    }

    /// <summary>Closes a finished stream's credit and returns its unread body octets, which go back to the connection window.</summary>
    public long TakeLeftover(Http2Stream stream)
    {
        lock (_lock)
        {
            stream.CreditClosed = true;
            var leftover = stream.Unconsumed;
            stream.Unconsumed = 0;
            return leftover;
        }
    }
}
