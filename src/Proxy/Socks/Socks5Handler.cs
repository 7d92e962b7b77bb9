using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Nono.Proxy.Filter;
using Nono.Proxy.Server;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Socks;

/// <summary>
/// SOCKS5 (RFC 1928) on the proxy's port, CONNECT only. Authentication is username/password
/// (RFC 1929) with the session token as the password. Host names are preferred (socks5h: the proxy
/// resolves and filters them); IP literals are accepted but pass the same filter, so a link-local
/// or metadata address is refused however it is given, and with an allowlist only listed literals pass.
/// </summary>
internal sealed class Socks5Handler(ProxyRuntime runtime, ClientConnection client)
{
    private const byte Version = 5;

    private enum Reply : byte { Succeeded = 0, GeneralFailure = 1, NotAllowed = 2, NetworkUnreachable = 3, HostUnreachable = 4, ConnectionRefused = 5, TtlExpired = 6, CommandNotSupported = 7, AddressTypeNotSupported = 8 }

    public async Task RunAsync(CancellationToken ct)
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
            return;
        }

        await SendAsync([Version, method], ct).ConfigureAwait(false);
        if (wantsAuth && !await AuthenticateAsync(reader, ct).ConfigureAwait(false))
            return;

        var request = await reader.ReadAsync(4, ct).ConfigureAwait(false);
        if (request[0] != Version)
            return;
        var host = await ReadAddressAsync(reader, request[3], ct).ConfigureAwait(false);
        var portBytes = await reader.ReadAsync(2, ct).ConfigureAwait(false);
        var port = (portBytes[0] << 8) | portBytes[1];
        if (host is null)
        {
            await ReplyAsync(Reply.AddressTypeNotSupported, ct).ConfigureAwait(false);
            return;
        }

        if (request[1] != 1)
        {
            await ReplyAsync(Reply.CommandNotSupported, ct).ConfigureAwait(false);
            Audit(AuditDecision.Deny, host, port, (int)Reply.CommandNotSupported, "only the SOCKS5 CONNECT command is supported");
            return;
        }

        await ConnectAsync(host, port, ct).ConfigureAwait(false);
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

            await Tunnel.RunAsync(client.Socket!, pending, link.Socket, link.Leftover, runtime.Config.IdleTimeout, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> AuthenticateAsync(SocksReader reader, CancellationToken ct)
    {
        var head = await reader.ReadAsync(2, ct).ConfigureAwait(false);
        _ = await reader.ReadAsync(head[1], ct).ConfigureAwait(false);
        var passwordLength = await reader.ReadAsync(1, ct).ConfigureAwait(false);
        var password = await reader.ReadAsync(passwordLength[0], ct).ConfigureAwait(false);
        var ok = head[0] == 1 && (!runtime.Config.RequireAuth || runtime.Token.Matches(Encoding.UTF8.GetString(password)));
        await SendAsync([1, ok ? (byte)0 : (byte)1], ct).ConfigureAwait(false);
        if (!ok)
            Audit(AuditDecision.Deny, "", 0, 407, "SOCKS5 authentication failed (session token missing or wrong)");
        return ok;
    }

    private static async ValueTask<string?> ReadAddressAsync(SocksReader reader, byte type, CancellationToken ct)
    {
        switch (type)
        {
            case 1:
                return new IPAddress(await reader.ReadAsync(4, ct).ConfigureAwait(false)).ToString();
            case 4:
                return new IPAddress(await reader.ReadAsync(16, ct).ConfigureAwait(false)).ToString();
            case 3:
                var length = await reader.ReadAsync(1, ct).ConfigureAwait(false);
                return Encoding.ASCII.GetString(await reader.ReadAsync(length[0], ct).ConfigureAwait(false));
            default:
                return null;
        }
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
