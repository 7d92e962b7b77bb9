using Nono.Proxy.Http2.Hpack;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Http2;

/// <summary>
/// The server side of one HTTP/2 connection (RFC 9113) inside an intercepted TLS tunnel. One read loop
/// parses frames and keeps the connection state; each request stream is handled concurrently by the
/// same request pipeline as HTTP/1.1 (<see cref="RequestPipeline"/>) through an <see cref="Http2Front"/>;
/// all frames go out through one <see cref="Http2FrameWriter"/>. Frames come from an
/// <see cref="Http2FrameReader"/>, streams live in an <see cref="Http2StreamTable"/> and windows in an
/// <see cref="Http2FlowControl"/>; this type holds the connection state between them (settings, GOAWAY,
/// the header block being assembled, the idle timer). Any protocol violation ends the connection with
/// GOAWAY; the proxy and its other connections are unaffected.
/// </summary>
internal sealed partial class Http2Connection : IDisposable
{
    private readonly ProxyRuntime _runtime;
    private readonly ClientConnection _client;
    private readonly InterceptTarget _target;
    private readonly Http2Limits _limits;
    private readonly CancellationTokenSource _closed;
    private readonly Http2FrameWriter _writer;
    private readonly HpackDecoder _decoder;
    private readonly Http2FrameReader _reader;
    private readonly Http2StreamTable _streams = new();
    private readonly Http2FlowControl _flow;
    private readonly FloodGuard _resets;
    private readonly FloodGuard _controlFrames;
    private readonly Timer _idle;

    private volatile bool _settingsReceived;
    private volatile bool _goAwaySent;
    private volatile bool _clientGoAway;

    public Http2Connection(ProxyRuntime runtime, ClientConnection client, InterceptTarget target, Http2Limits? limits = null)
    {
        _runtime = runtime;
        _client = client;
        _target = target;
        _limits = limits ?? Http2Limits.Default with { MaxHeaderListSize = runtime.Limits.MaxHeaderBytes };
        _closed = CancellationTokenSource.CreateLinkedTokenSource(runtime.AbortToken);
        _writer = new Http2FrameWriter(client.Writer, _closed.Token);
        _decoder = new HpackDecoder(_limits.HeaderTableSize, _limits.MaxHeaderListSize);
        _resets = new FloodGuard(_limits.ResetBurst, _limits.ResetsPerSecond);
        _controlFrames = new FloodGuard(_limits.ControlFrameBurst, _limits.ControlFramesPerSecond);
        _reader = new Http2FrameReader(client.Reader, _limits.MaxFrameSize);
        _flow = new Http2FlowControl(_limits);
        _idle = new Timer(_ => OnIdle());
    }

    public async Task RunAsync()
    {
        var shutdown = default(CancellationTokenRegistration);
        try
        {
            _idle.Change(_limits.PrefaceTimeout, Timeout.InfiniteTimeSpan);
            await _writer.WriteSettingsAsync(
            [
                (SettingId.MaxConcurrentStreams, (uint)_limits.MaxConcurrentStreams),
                (SettingId.InitialWindowSize, (uint)_limits.StreamWindow),
                (SettingId.MaxFrameSize, (uint)_limits.MaxFrameSize),
                (SettingId.MaxHeaderListSize, (uint)_limits.MaxHeaderListSize),
                (SettingId.HeaderTableSize, (uint)_limits.HeaderTableSize),
            ]).ConfigureAwait(false);
            if (_limits.ConnectionWindow > 65_535)
                await _writer.WriteWindowUpdateAsync(0, _limits.ConnectionWindow - 65_535).ConfigureAwait(false);

            // Registered after the server preface: a GOAWAY must not be the first frame the client sees.
            shutdown = _runtime.ShutdownToken.Register(() => _ = GoAwayAsync(Http2ErrorCode.NoError, "proxy shutting down"));

            await _reader.ReadPrefaceAsync(_closed.Token).ConfigureAwait(false);
            await _reader.RunAsync(OnFrameAsync, _closed.Token).ConfigureAwait(false);
        }
        catch (Http2ConnectionException e)
        {
            Audit(e.Code, e.Message);
            await GoAwayAsync(e.Code, e.Message).ConfigureAwait(false);
            await DrainAsync().ConfigureAwait(false);
        }
        catch (HpackException e)
        {
            Audit(Http2ErrorCode.CompressionError, e.Message);
            await GoAwayAsync(Http2ErrorCode.CompressionError, e.Message).ConfigureAwait(false);
            await DrainAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away, the connection was closed on purpose, or the proxy is aborting.
        }
        finally
        {
            await shutdown.DisposeAsync().ConfigureAwait(false);
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends GOAWAY once (best effort) and closes when no stream is left.</summary>
    private async Task GoAwayAsync(Http2ErrorCode code, string debug)
    {
        var first = !_goAwaySent;
        _goAwaySent = true;
        if (first)
        {
            try
            {
                await _writer.WriteGoAwayAsync(_streams.LastStreamId, code, code == Http2ErrorCode.NoError ? "" : debug).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }

        if (code != Http2ErrorCode.NoError || _streams.Active == 0)
            Close();
    }

    /// <summary>
    /// After a GOAWAY for an error, reads and drops what the client is still sending (bounded in time and
    /// size): closing with unread bytes makes the kernel reset the connection, and the client may then lose
    /// the GOAWAY that says why.
    /// </summary>
    private async ValueTask DrainAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_runtime.AbortToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(1));
        long dropped = 0;
        try
        {
            while (dropped < 1024 * 1024)
            {
                var result = await _client.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                dropped += result.Buffer.Length;
                _client.Reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                    return;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void OnIdle()
    {
        if (!_settingsReceived)
        {
            _ = GoAwayAsync(Http2ErrorCode.SettingsTimeout, "no preface and SETTINGS in time");
            return;
        }

        if (_streams.Active == 0)
            _ = GoAwayAsync(Http2ErrorCode.NoError, "idle");
    }

    private void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async ValueTask CloseAsync()
    {
        Close();
        _idle.Change(Timeout.Infinite, Timeout.Infinite);
        _flow.Signal();
        foreach (var stream in _streams.Open)
        {
            stream.Reset = true;
            await stream.Body.Writer.CompleteAsync(new IOException("the HTTP/2 connection ended")).ConfigureAwait(false);
        }

        // Handlers see their streams cancelled; give them a moment to unwind before the transport goes.
        for (var waited = 0; _streams.Active > 0 && waited < 5000; waited += 20)
            await Task.Delay(20).ConfigureAwait(false);
        await _writer.QuiesceAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }

    private void Audit(Http2ErrorCode code, string reason) =>
        _runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = AuditMode.Intercept,
            Decision = AuditDecision.Deny,
            Target = _target.Host,
            Port = _target.Port,
            Reason = $"HTTP/2 connection error {code}: {reason}",
        });

    public void Dispose()
    {
        _idle.Dispose();
        _closed.Dispose();
    }
}
