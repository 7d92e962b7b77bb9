using Nono.Proxy.Http;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Http2;

internal sealed partial class Http2Connection
{
    private async ValueTask OnHeaderBlockAsync(int streamId)
    {
        var fields = new List<HeaderField>();

        // Decoded even when the stream is refused: the dynamic table must stay in step with the client's.
        var withinLimit = _decoder.Decode(_headerBlock.AsSpan(0, _headerBlockLength), fields);
        var endStream = _headerEndStream;

        if (_streams.TryGet(streamId, out var existing))
        {
            // A second header block on an open stream is the request's trailer section: it must end the
            // stream and carry no pseudo-headers. Trailers are not forwarded.
            if (existing.RemoteClosed)
                throw new Http2StreamException(streamId, Http2ErrorCode.StreamClosed, "HEADERS after the end of the stream");
            if (!endStream || fields.Exists(f => f.Name.StartsWith(':')))
                throw new Http2StreamException(streamId, Http2ErrorCode.ProtocolError, "malformed trailer section");
            EndOfRequestBody(existing);
            return;
        }

        if (!_streams.TryClaim(streamId))
        {
            // A new request must take a higher id than every stream before it (RFC 9113 section 5.1.1):
            // one that reuses an id, or goes back to a lower one, ends the connection. A trailer section
            // (no pseudo-headers) on a stream the proxy already reset may still be in flight: ignore it.
            if (fields.Exists(f => f.Name.StartsWith(':')))
                throw new Http2ConnectionException(Http2ErrorCode.ProtocolError, $"HEADERS opening stream {streamId} after stream {_streams.LastStreamId}: stream ids must increase");
            return;
        }

        if (_goAwaySent || _clientGoAway || _streams.Active >= _limits.MaxConcurrentStreams)
        {
            await _writer.WriteRstStreamAsync(streamId, Http2ErrorCode.RefusedStream).ConfigureAwait(false);
            return;
        }

        RequestHead? head = null;
        Http2RequestMapper.Rejection? rejection = null;
        if (withinLimit)
        {
            head = Http2RequestMapper.Map(fields, endStream, _target, out rejection);
            if (rejection is { Status: 0 } malformed)
            {
                AuditRequest(fields, Http2ErrorCode.ProtocolError, "malformed HTTP/2 request: " + malformed.Reason);
                await _writer.WriteRstStreamAsync(streamId, Http2ErrorCode.ProtocolError).ConfigureAwait(false);
                return;
            }
        }

        // Too-large or refused requests still get an HTTP answer from the proxy, as on HTTP/1.1.
        head ??= new RequestHead
        {
            Method = fields.Find(f => f.Name == ":method").Value ?? "GET",
            Target = fields.Find(f => f.Name == ":path").Value ?? "/",
            MinorVersion = 1,
            Headers = [],
            KeepAlive = true,
            ContentLength = endStream ? 0 : null,
            BodyUntilEnd = !endStream,
        };
        rejection ??= withinLimit ? null : new Http2RequestMapper.Rejection(431, "request header fields too large");

        var stream = new Http2Stream(streamId, _flow.PeerInitialWindow, _limits.StreamWindow, _closed.Token)
        {
            Head = head,
            DeclaredLength = head.ContentLength,
        };
        if (_streams.Start(stream))
            _idle.Change(Timeout.Infinite, Timeout.Infinite);
        if (endStream)
            EndOfRequestBody(stream);

        _ = Task.Run(() => RunStreamAsync(stream, head, rejection));
    }

    private async Task RunStreamAsync(Http2Stream stream, RequestHead head, Http2RequestMapper.Rejection? rejection)
    {
        var front = new Http2Front(this, stream, _runtime.Config.BodyProgressTimeout);
        var ct = stream.Cancellation.Token;
        try
        {
            var ctx = new RequestContext(_runtime, front, head, AuditMode.Intercept);
            if (rejection is not null)
                await ctx.RefuseAsync(Denial.Of(Refusals.FromStatus(rejection.Status), rejection.Reason, _target.Host, _target.Port), ct).ConfigureAwait(false);
            else
                await RequestPipeline.HandleAsync(ctx, _target, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The stream was reset, the connection ended, or the handler failed: the stream is reset below.
        }
        finally
        {
            await FinishStreamAsync(stream).ConfigureAwait(false);
        }
    }

    private async ValueTask FinishStreamAsync(Http2Stream stream)
    {
        if (!stream.Reset)
        {
            // No complete response: reset so the client does not take what it got as whole. A complete
            // response to a request whose body is still coming: NO_ERROR tells the client to stop sending.
            var code = !stream.ResponseEnded ? Http2ErrorCode.InternalError : !stream.RemoteClosed ? Http2ErrorCode.NoError : (Http2ErrorCode?)null;
            if (code is { } c)
                await ResetFromServerAsync(stream.Id, c).ConfigureAwait(false);
        }

        var last = _streams.Finish(stream);
        await ReturnUnconsumedAsync(stream).ConfigureAwait(false);
        stream.Cancellation.Dispose();
        if (last)
        {
            if (_goAwaySent || _clientGoAway)
                Close();
            else
                ArmIdle();
        }
    }

    private void ArmIdle()
    {
        try
        {
            if (_streams.Active == 0)
                _idle.Change(_runtime.Config.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The client reset the stream: stop its handler and drop what it sent.</summary>
    private void ResetByClient(Http2Stream stream)
    {
        stream.Reset = true;
        stream.ResponseEnded = true;
        if (!stream.RemoteClosed)
        {
            stream.RemoteClosed = true;
            stream.Body.Writer.Complete(new IOException("the client reset the stream"));
        }

        CancelStream(stream);
        _flow.Signal();
    }

    /// <summary>Resets a stream from the proxy's side (any thread); the read loop drops its later frames.</summary>
    internal async ValueTask ResetFromServerAsync(int streamId, Http2ErrorCode code)
    {
        if (_streams.TryGet(streamId, out var stream))
        {
            if (stream.Reset)
                return;
            stream.Reset = true;
            stream.ResponseEnded = true;
            stream.Body.Reader.CancelPendingRead();
            _flow.Signal();
        }

        try
        {
            await _writer.WriteRstStreamAsync(streamId, code).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        if (stream is not null)
            CancelStream(stream);
    }

    private static void CancelStream(Http2Stream stream)
    {
        try
        {
            stream.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void EndOfRequestBody(Http2Stream stream)
    {
        stream.RemoteClosed = true;
        if (stream.DeclaredLength is { } declared && declared != stream.Received)
        {
            stream.Body.Writer.Complete(new IOException("request body shorter than its content-length"));
            throw new Http2StreamException(stream.Id, Http2ErrorCode.ProtocolError, "request body shorter than its content-length");
        }

        stream.Body.Writer.Complete();
    }

    private void AuditRequest(List<HeaderField> fields, Http2ErrorCode code, string reason) =>
        _runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = AuditMode.Intercept,
            Decision = AuditDecision.Deny,
            Target = _target.Host,
            Port = _target.Port,
            Method = fields.Find(f => f.Name == ":method").Value,
            Reason = $"{reason} (stream reset with {code})",
        });
}
