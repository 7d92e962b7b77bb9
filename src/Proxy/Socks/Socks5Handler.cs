using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Nono.Proxy.Upstream;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Socks;

/// <summary>
/// SOCKS5 (RFC 1928) on the proxy's port, CONNECT only. Authentication is username/password
/// (RFC 1929) with user name <c>nono</c> and the session token as the password, as for HTTP Basic. Targets are host names only (socks5h): the proxy
/// resolves and filters them; a request naming an IPv4 or IPv6 address is answered "address type not
/// supported". A name that is an address literal still passes the host filter like any other. A tunnel
/// the CONNECT handler would intercept is intercepted here too.
/// </summary>
internal sealed class Socks5Handler(ProxyRuntime runtime, ClientConnection client, InterceptedTunnelServer serveIntercepted)
{
    private const byte Version = 5;
    private const byte AddressTypeDomain = 3;

    private enum Reply : byte { Succeeded = 0, GeneralFailure = 1, NotAllowed = 2, NetworkUnreachable = 3, HostUnreachable = 4, ConnectionRefused = 5, TtlExpired = 6, CommandNotSupported = 7, AddressTypeNotSupported = 8 }

    /// <param name="ct">Cancelled when the proxy aborts; the handshake also ends after <see cref="ProxyConfig.HeaderTimeout"/>.</param>
    public async Task RunAsync(CancellationToken ct)
    {
        (string Host, int Port)? target;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            // Until it has named a target, a client holds a connection slot without proving anything:
            // the whole greeting, authentication and request get the same bound as an HTTP request head.
            handshake.CancelAfter(runtime.Config.HeaderTimeout);
            try
            {
                target = await NegotiateAsync(handshake.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Audit(AuditDecision.Deny, "", 0, 408, "SOCKS5 handshake not completed in time");
                return;
            }
        }

        if (target is { } t)
            await ConnectAsync(t.Host, t.Port, ct).ConfigureAwait(false);
    }

    /// <summary>Greeting, authentication and request; the target to connect to, or null when refused (and answered).</summary>
    private async ValueTask<(string Host, int Port)?> NegotiateAsync(CancellationToken ct)
    {
        var reader = new SocksReader(client.Reader);
        var greeting = await reader.ReadAsync(2, ct).ConfigureAwait(false);
        var methods = await reader.ReadAsync(greeting[1], ct).ConfigureAwait(false);

        var wantsAuth = runtime.Config.RequireAuth || Array.IndexOf(methods, (byte)0) < 0;
        var method = wantsAuth ? (byte)2 : (byte)0;
        if (Array.IndexOf(methods, method) < 0)
        {
            await SendAsync([Version, 0xFF], ct).ConfigureAwait(false);
            Audit(AuditDecision.Deny, "", 0, 407, "SOCKS5 client offered no username/password authentication");
            return null;
        }

        await SendAsync([Version, method], ct).ConfigureAwait(false);
        if (wantsAuth && !await AuthenticateAsync(reader, ct).ConfigureAwait(false))
            return null;

        var request = await reader.ReadAsync(4, ct).ConfigureAwait(false);
        if (request[0] != Version)
            return null;
        if (request[3] != AddressTypeDomain)
        {
            // Hostnames only (socks5h): the proxy resolves and filters the name itself, and the audit
            // trail names the host the client meant rather than an address it resolved on its own.
            await ReplyAsync(Reply.AddressTypeNotSupported, ct).ConfigureAwait(false);
            var kind = request[3] switch { 1 => "an IPv4 address", 4 => "an IPv6 address", _ => $"address type {request[3]}" };
            Audit(AuditDecision.Deny, "", 0, (int)Reply.AddressTypeNotSupported, $"SOCKS5 request named {kind}; only host names are accepted (socks5h)");
            return null;
        }

        var length = await reader.ReadAsync(1, ct).ConfigureAwait(false);
        var host = Encoding.ASCII.GetString(await reader.ReadAsync(length[0], ct).ConfigureAwait(false));
        var portBytes = await reader.ReadAsync(2, ct).ConfigureAwait(false);
        var port = (portBytes[0] << 8) | portBytes[1];
        if (request[1] != 1)
        {
            await ReplyAsync(Reply.CommandNotSupported, ct).ConfigureAwait(false);
            Audit(AuditDecision.Deny, host, port, (int)Reply.CommandNotSupported, "only the SOCKS5 CONNECT command is supported");
            return null;
        }

        if (runtime.Token.AppearsIn(host))
        {
            // Looked up, the name would carry the token out in a DNS query; the audit event leaves the name out.
            await ReplyAsync(Reply.NotAllowed, ct).ConfigureAwait(false);
            Audit(AuditDecision.Deny, "", port, (int)Reply.NotAllowed, "the session token appears in the host name");
            return null;
        }

        return (host, port);
    }

    private async ValueTask ConnectAsync(string host, int port, CancellationToken ct)
    {
        var decision = await runtime.Filter.CheckAsync(host, port, ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            var reply = decision.ResolutionFailed ? Reply.HostUnreachable : Reply.NotAllowed;
            await ReplyAsync(reply, ct).ConfigureAwait(false);
            Audit(AuditDecision.Deny, decision.Host, port, (int)reply, decision.Reason);
            return;
        }

        if (runtime.Interceptor is { } interceptor && interceptor.ShouldIntercept(decision.Host, port))
        {
            // The same decision as CONNECT: a tunnel to a route's upstream (or any tunnel under
            // intercept_all) is terminated here, so the phantom token and endpoint rules still apply.
            await ReplyAsync(Reply.Succeeded, ct).ConfigureAwait(false);
            Audit(AuditDecision.Allow, decision.Host, port, 0, null, decision.ViaExternalProxy);
            await serveIntercepted(runtime, client, interceptor, decision.Host, port, ct).ConfigureAwait(false);
            return;
        }

        UpstreamLink link;
        try
        {
            link = await runtime.Connector.ConnectAsync(decision, port, ct).ConfigureAwait(false);
        }
        catch (UpstreamConnectException e)
        {
            var reply = e.TimedOut ? Reply.TtlExpired : e.Message.Contains("refused", StringComparison.Ordinal) ? Reply.ConnectionRefused : Reply.HostUnreachable;
            await ReplyAsync(reply, ct).ConfigureAwait(false);
            Audit(AuditDecision.Allow, decision.Host, port, (int)reply, e.Message, decision.ViaExternalProxy);
            return;
        }

        using (link)
        {
            await ReplyAsync(Reply.Succeeded, ct).ConfigureAwait(false);
            Audit(AuditDecision.Allow, decision.Host, port, 0, null, decision.ViaExternalProxy);
            var pending = ReadOnlyMemory<byte>.Empty;
            if (client.Reader.TryRead(out var buffered))
            {
                pending = buffered.Buffer.ToArray();
                client.Reader.AdvanceTo(buffered.Buffer.End);
            }

            runtime.Metrics.TunnelOpened();
            try
            {
                await Tunnel.RunAsync(client.Socket!, pending, link.Socket, link.Leftover, runtime.Config.IdleTimeout, ct).ConfigureAwait(false);
            }
            finally
            {
                runtime.Metrics.TunnelClosed();
            }
        }
    }

    private async ValueTask<bool> AuthenticateAsync(SocksReader reader, CancellationToken ct)
    {
        var head = await reader.ReadAsync(2, ct).ConfigureAwait(false);
        var user = await reader.ReadAsync(head[1], ct).ConfigureAwait(false);
        var passwordLength = await reader.ReadAsync(1, ct).ConfigureAwait(false);
        var password = await reader.ReadAsync(passwordLength[0], ct).ConfigureAwait(false);

        // The same pair as HTTP Basic: user name nono, password the token.
        var ok = head[0] == 1 && (!runtime.Config.RequireAuth || runtime.Token.MatchesUserAndPassword(user, Encoding.UTF8.GetString(password)));
        await SendAsync([1, ok ? (byte)0 : (byte)1], ct).ConfigureAwait(false);
        if (!ok)
            Audit(AuditDecision.Deny, "", 0, 407, "SOCKS5 authentication failed (user name nono and the session token expected)");
        return ok;
    }

    private ValueTask ReplyAsync(Reply reply, CancellationToken ct) =>
        SendAsync([Version, (byte)reply, 0, 1, 0, 0, 0, 0, 0, 0], ct);

    private async ValueTask SendAsync(byte[] bytes, CancellationToken ct)
    {
        await client.Writer.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    private void Audit(AuditDecision decision, string host, int port, int status, string? reason, bool external = false) =>
        runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = external ? AuditMode.External : AuditMode.Socks5,
            Decision = decision,
            Target = host,
            Port = port,
            Method = "CONNECT",
            Status = status,
            Reason = reason,
        });

    /// <summary>Reads fixed-size fields off the client's pipe.</summary>
    private sealed class SocksReader(PipeReader reader)
    {
        public async ValueTask<byte[]> ReadAsync(int count, CancellationToken ct)
        {
            if (count == 0)
                return [];
            var result = await reader.ReadAtLeastAsync(count, ct).ConfigureAwait(false);
            if (result.Buffer.Length < count)
                throw new IOException("SOCKS5 client closed the connection mid-request");
            var bytes = result.Buffer.Slice(0, count).ToArray();
            reader.AdvanceTo(result.Buffer.GetPosition(count));
            return bytes;
        }
    }
}
