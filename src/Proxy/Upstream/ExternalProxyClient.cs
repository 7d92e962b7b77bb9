using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Upstream;

/// <summary>Opens tunnels through the configured external (corporate) proxy with HTTP CONNECT.</summary>
internal sealed class ExternalProxyClient
{
    private const int MaxReplyHead = 16 * 1024;
    private readonly string _host;
    private readonly int _port;
    private readonly string? _authorization;
    private readonly TimeSpan _timeout;

    public ExternalProxyClient(ExternalProxyConfig config, TimeSpan timeout)
    {
        if (!Authority.TryParse(config.Address, out _host, out _port))
            throw new ProxyConfigException($"external proxy address '{config.Address}' is not host:port");
        _timeout = timeout;
        if (config.Username is not null || config.Password is not null)
        {
            var raw = Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}");
            _authorization = "Basic " + Convert.ToBase64String(raw);
        }
    }

    public async ValueTask<UpstreamLink> ConnectAsync(string host, int port, CancellationToken ct)
    {
        // The external proxy is the operator's own infrastructure: its address is not subject to the allowlist.
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(_host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(_host, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new UpstreamConnectException($"external proxy {_host} cannot be resolved ({e.SocketErrorCode})", inner: e);
        }

        var socket = await UpstreamConnector.ConnectDirectAsync($"external proxy {_host}", addresses, _port, _timeout, ct).ConfigureAwait(false);
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(_timeout);
            var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
            var request = new StringBuilder()
                .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\nHost: ").Append(authority).Append("\r\n");
            if (_authorization is not null)
                request.Append("Proxy-Authorization: ").Append(_authorization).Append("\r\n");
            request.Append("\r\n");
            await socket.SendAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token).ConfigureAwait(false);

            var (status, leftover) = await ReadReplyAsync(socket, cts.Token).ConfigureAwait(false);
            if (status != 200)
            {
                var why = status == 407 ? "requires authentication (check the external proxy credentials)" : $"answered {status}";
                throw new UpstreamConnectException($"external proxy {_host}:{_port} refused CONNECT to {authority}: {why}");
            }

            return new UpstreamLink(socket, leftover, viaExternalProxy: true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new UpstreamConnectException($"external proxy {_host}:{_port} did not answer in time", timedOut: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask<(int Status, byte[] Leftover)> ReadReplyAsync(Socket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxReplyHead);
        try
        {
            var filled = 0;
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(filled, MaxReplyHead - filled), ct).ConfigureAwait(false);
                if (n == 0)
                    throw new UpstreamConnectException("external proxy closed the connection during CONNECT");
                filled += n;
                var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                    return (ParseStatus(buffer.AsSpan(0, end)), buffer.AsSpan(end + 4, filled - end - 4).ToArray());
                if (filled == MaxReplyHead)
                    throw new UpstreamConnectException("external proxy reply head too large");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ParseStatus(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 Connection established"
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || head[8] != ' ')
            throw new UpstreamConnectException("external proxy sent a malformed reply");
        return int.TryParse(Encoding.ASCII.GetString(head.Slice(9, 3)), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : throw new UpstreamConnectException("external proxy sent a malformed reply");
    }
}
