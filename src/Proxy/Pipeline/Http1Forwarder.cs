using System.Net.Sockets;
using Nono.Proxy.Http;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

/// <summary>
/// Forwards plain <c>http://</c> absolute-form requests over kept-alive HTTP/1.1 upstream connections of
/// its own pool: the parsed head is written straight out (hop-by-hop fields dropped) and bodies are
/// relayed by their framing, which costs far less per request than going through HttpClient. New
/// connections go through the host filter and the connector exactly like tunnels do.
/// </summary>
internal static partial class Http1Forwarder
{
    private static readonly HttpLimits ResponseLimits = new() { MaxHeaderBytes = 64 * 1024, MaxHeaderCount = 256 };

    public static async ValueTask<bool> ForwardAsync(RequestContext ctx, ForwardPlan plan, CancellationToken ct)
    {
        var runtime = ctx.Runtime;
        var head = ctx.Head;
        var uri = plan.Target;
        var host = plan.FilteredHost;
        var port = uri.Port;
        var key = host + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = plan.Audit;
        var upgrade = WebSocketUpgrade.IsRequested(head);

        for (var attempt = 0; ; attempt++)
        {
            var connection = attempt == 0 ? runtime.Http1Pool.Rent(key, retryable: !head.HasBody && !upgrade) : null;
            var reused = connection is not null;
            if (connection is null)
            {
                var decision = await runtime.Filter.CheckAsync(host, port, ct).ConfigureAwait(false);
                if (!decision.Allowed)
                    return await ctx.RefuseAsync(new Denial(decision.ResolutionFailed ? Refusal.HostUnresolvable : Refusal.HostDenied, decision.Reason, audit), ct).ConfigureAwait(false);
                try
                {
                    connection = new Http1Connection(await runtime.Connector.ConnectForRequestsAsync(decision, port, ct).ConfigureAwait(false));
                }
                catch (UpstreamConnectException e)
                {
                    return await ctx.RefuseAsync(new Denial(e.TimedOut ? Refusal.UpstreamTimeout : Refusal.UpstreamUnreachable, e.Message, audit), ct).ConfigureAwait(false);
                }
            }

            ResponseHead? response;
            try
            {
                await SendRequestAsync(ctx, connection, uri, upgrade, ct).ConfigureAwait(false);
                response = await ReadResponseHeadAsync(connection, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or HttpFramingException)
            {
                connection.Dispose();
                if (reused && !head.HasBody)
                    continue; // the kept-alive connection had gone stale: once more on a fresh one
                if (head.HasBody && !ctx.Body.IsComplete)
                {
                    ctx.RecordAllowed(audit, 502, "request body could not be delivered");
                    ctx.Client.Abort();
                    return false;
                }

                return await ctx.RefuseAsync(new Denial(Refusal.UpstreamFailed, $"upstream {host} closed the connection or failed", audit), ct).ConfigureAwait(false);
            }

            if (response is null)
            {
                connection.Dispose();
                if (reused && !head.HasBody)
                    continue; // a reused connection out of step (stray bytes from before): once more on a fresh one
                return await ctx.RefuseAsync(new Denial(Refusal.UpstreamMalformed, $"upstream {host} sent a malformed response", audit), ct).ConfigureAwait(false);
            }

            if (response.Status == 101)
                return await SwitchAsync(ctx, connection, response, upgrade, audit, ct).ConfigureAwait(false);

            if (response.Status == 407 && connection.SendsAbsoluteForm)
            {
                // The external proxy's own challenge: relayed, it would read as nono's proxy asking the client.
                connection.Dispose();
                return await ctx.RefuseAsync(new Denial(Refusal.ExternalProxyAuth, "external proxy requires authentication (check the external proxy credentials)", audit), ct).ConfigureAwait(false);
            }

            return await RelayResponseAsync(ctx, connection, key, response, audit, ct).ConfigureAwait(false);
        }
    }

    private static async ValueTask SendRequestAsync(RequestContext ctx, Http1Connection connection, Uri uri, bool upgrade, CancellationToken ct)
    {
        var head = ctx.Head;
        if (connection.SendsAbsoluteForm && ctx.Runtime.Connector.External is { } external)
            await SendHeadToExternalProxyAsync(connection, head, uri, ctx.Runtime.Token, upgrade, external, ct).ConfigureAwait(false);
        else
            WriteRequestHead(connection.Writer, head, uri, ctx.Runtime.Token, upgrade);
        if (!head.HasBody)
        {
            await connection.Writer.FlushAsync(ct).ConfigureAwait(false);
            return;
        }

        if (head.ExpectContinue && head.MinorVersion == 1)
        {
            // Whatever the upstream thinks of it, the proxy wants the body now.
            ResponseWriter.WriteAscii(ctx.Client.Writer, "HTTP/1.1 100 Continue\r\n\r\n"u8);
            await ctx.Client.Writer.FlushAsync(ct).ConfigureAwait(false);
        }

        await ctx.Http1.Body.CopyToAsync(connection.Writer, encodeChunked: head.Chunked, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A 101 from the upstream: when the client asked for a WebSocket and the answer completes the
    /// handshake, the 101 goes back and bytes are relayed both ways until either side closes; anything
    /// else is a 502 naming what was wrong. The connection never returns to the pool.
    /// </summary>
    private static async ValueTask<bool> SwitchAsync(RequestContext ctx, Http1Connection connection, ResponseHead response, bool upgrade, AuditTarget audit, CancellationToken ct)
    {
        using (connection)
        {
            var problem = !upgrade ? "upstream switched protocols without being asked to" : WebSocketUpgrade.CheckSwitch(ctx.Head, response.Headers);
            if (problem is not null)
            {
                await ctx.RefuseAsync(new Denial(Refusal.UpstreamMalformed, problem, audit), ct, close: true).ConfigureAwait(false);
                return false;
            }

            ctx.RecordAllowed(audit, 101, null);
            UpgradeRelay.WriteSwitchingHead(ctx.Client.Writer, response.Headers);
            await UpgradeRelay.RunAsync(ctx.Client, connection.Reader, connection.Writer, ctx.Runtime.AbortToken).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Reads the final response head (interim 1xx responses other than 101 are dropped); null when it is malformed.</summary>
    private static async ValueTask<ResponseHead?> ReadResponseHeadAsync(Http1Connection connection, CancellationToken ct)
    {
        var reader = connection.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (RequestParser.TryParseResponse(buffer, ResponseLimits, out var consumed, out var head, out var rejection))
            {
                reader.AdvanceTo(consumed);
                if (rejection is not null)
                    return null;
                if (head!.Status is >= 100 and < 200 && head.Status != 101)
                    continue;
                return head;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
                throw new IOException("upstream closed the connection before a response");
        }
    }
}
