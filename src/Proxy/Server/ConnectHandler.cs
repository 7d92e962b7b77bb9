using System.Buffers;
using System.Net.Security;
using Nono.Proxy.Http2;
using Nono.Proxy.Tls;
using Nono.Proxy.Filter;
using Nono.Proxy.Http;
using Nono.Proxy.Upstream;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Server;

/// <summary>
/// CONNECT: check the target, open the upstream (directly or through the external proxy), answer 200,
/// then either relay bytes opaquely or, when interception applies, run the request loop over TLS.
/// </summary>
internal static class ConnectHandler
{
    private static ReadOnlySpan<byte> Established => "HTTP/1.1 200 Connection Established\r\n\r\n"u8;

    public static async ValueTask HandleAsync(RequestContext ctx, CancellationToken ct)
    {
        var runtime = ctx.Runtime;
        if (!Authority.TryParse(ctx.Head.Target, out var host, out var port))
        {
            await ctx.RefuseAsync(Denial.Of(Refusal.MalformedConnectTarget, "CONNECT target must be host:port", ctx.Head.Target), ct, close: true).ConfigureAwait(false);
            return;
        }

        var decision = await runtime.Filter.CheckAsync(host, port, ct).ConfigureAwait(false);
        if (decision.ViaExternalProxy)
            ctx.Mode = AuditMode.External;
        if (!decision.Allowed)
        {
            await ctx.RefuseAsync(Denial.Of(decision.ResolutionFailed ? Refusal.HostUnresolvable : Refusal.HostDenied, decision.Reason, decision.Host, port), ct, close: true).ConfigureAwait(false);
            return;
        }

        if (!runtime.RateLimits.TryAcquire(decision.Host, null, out var retryAfter, out var limited))
        {
            await RequestPipeline.RefuseAsync(ctx, RateLimit.Denial(limited, retryAfter, decision.Host, port, null), ct, close: true, retryAfter).ConfigureAwait(false);
            return;
        }

        if (runtime.Interceptor is { } interceptor && interceptor.ShouldIntercept(decision.Host, port))
        {
            await InterceptAsync(ctx, interceptor, decision.Host, port, ct).ConfigureAwait(false);
            return;
        }

        UpstreamLink link;
        try
        {
            link = await runtime.Connector.ConnectAsync(decision, port, ct).ConfigureAwait(false);
        }
        catch (UpstreamConnectException e)
        {
            await ctx.RefuseAsync(Denial.Of(e.TimedOut ? Refusal.UpstreamTimeout : Refusal.UpstreamUnreachable, e.Message, decision.Host, port), ct, close: true).ConfigureAwait(false);
            return;
        }

        using (link)
        {
            Record(ctx, decision.Host, port);
            ResponseWriter.WriteAscii(ctx.Client.Writer, Established);
            await ctx.Client.Writer.FlushAsync(ct).ConfigureAwait(false);

            // Bytes the client sent right behind the CONNECT (often its TLS ClientHello) are already in the pipe.
            var pending = ReadOnlyMemory<byte>.Empty;
            if (ctx.Client.Reader.TryRead(out var buffered))
            {
                pending = buffered.Buffer.ToArray();
                ctx.Client.Reader.AdvanceTo(buffered.Buffer.End);
            }

            runtime.Metrics.TunnelOpened();
            try
            {
                await Tunnel.RunAsync(ctx.Client.Socket!, pending, link.Socket, link.Leftover, runtime.Config.IdleTimeout, ct).ConfigureAwait(false);
            }
            finally
            {
                runtime.Metrics.TunnelClosed();
            }
        }
    }

    private static async ValueTask InterceptAsync(RequestContext ctx, IConnectInterceptor interceptor, string host, int port, CancellationToken ct)
    {
        Record(ctx, host, port);
        ResponseWriter.WriteAscii(ctx.Client.Writer, Established);
        await ctx.Client.Writer.FlushAsync(ct).ConfigureAwait(false);
        ctx.Runtime.Metrics.TunnelOpened();
        try
        {
            await ServeInterceptedAsync(ctx.Runtime, ctx.Client, interceptor, host, port, ct).ConfigureAwait(false);
        }
        finally
        {
            ctx.Runtime.Metrics.TunnelClosed();
        }
    }

    /// <summary>
    /// The tunnel is open (CONNECT answered 200, or SOCKS5 answered success): terminate the client's TLS
    /// with the session CA and run the request loop over it. Every way into a tunnel takes this path
    /// when <see cref="IConnectInterceptor.ShouldIntercept"/> says so, so none of them skips the routes'
    /// phantom token and endpoint rules.
    /// </summary>
    internal static async ValueTask ServeInterceptedAsync(ProxyRuntime runtime, ClientConnection client, IConnectInterceptor interceptor, string host, int port, CancellationToken ct)
    {
        Stream tls;
        try
        {
            tls = await interceptor.AcceptAsync(new DuplexPipeStream(client.Reader, client.Writer), host, port, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InterceptRefusedException or IOException or System.Security.Authentication.AuthenticationException)
        {
            // Never a plain tunnel instead: the client that refused the session CA gets no connection at all.
            runtime.Audit.Add(new NetworkAuditEvent
            {
                Mode = AuditMode.Intercept,
                Decision = AuditDecision.Deny,
                Target = host,
                Port = port,
                Reason = e is InterceptRefusedException refused
                    ? $"{refused.Reason} ({refused.Detail})"
                    : "client did not complete the TLS handshake with the interception certificate",
            });
            return;
        }

        var inner = ClientConnection.FromStream(tls);
        await using (inner.ConfigureAwait(false))
        {
            // The client chose the protocol by ALPN; h2 is offered only when TlsInterceptConfig.Http2 is on.
            var target = new InterceptTarget(host, port);
            if (NegotiatedProtocol(tls) == SslApplicationProtocol.Http2)
            {
                using var h2 = new Http2Connection(runtime, inner, target);
                await h2.RunAsync().ConfigureAwait(false);
            }
            else
            {
                await new HttpSession(runtime, inner, target).RunAsync().ConfigureAwait(false);
            }
        }
    }

    private static SslApplicationProtocol NegotiatedProtocol(Stream tls) => tls switch
    {
        SslStream ssl => ssl.NegotiatedApplicationProtocol,
        ReplayStream { Inner: SslStream ssl } => ssl.NegotiatedApplicationProtocol,
        _ => default,
    };

    private static void Record(RequestContext ctx, string host, int port) =>
        ctx.Runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = ctx.Mode,
            Decision = AuditDecision.Allow,
            Target = host,
            Port = port,
            Method = "CONNECT",
            Status = 200,
        });
}
