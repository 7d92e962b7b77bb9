using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Nono.Proxy.Credentials;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Opens tunnels through the configured external (corporate) proxy with HTTP CONNECT. Its credentials,
/// when it needs them, are kept only as the base64 of <c>user:password</c> in a buffer that is zeroed on
/// disposal, and are copied straight into each CONNECT request's bytes, never into a string.
/// </summary>
internal sealed class ExternalProxyClient : IDisposable
{
    private static readonly byte[] AuthorizationName = "Proxy-Authorization: Basic "u8.ToArray();
    private const int MaxReplyHead = 16 * 1024;
    private readonly string _host;
    private readonly int _port;
    private readonly SecretBuffer? _basicCredentials;
    private readonly TimeSpan _timeout;

    public ExternalProxyClient(ExternalProxyConfig config, TimeSpan timeout)
    {
        if (!Authority.TryParse(config.Address, out _host, out _port))
            throw new ProxyConfigException($"external proxy address '{config.Address}' is not host:port");
        _timeout = timeout;
        if (config.Username is not null || config.Password is not null)
            _basicCredentials = EncodeBasic(config.Username ?? "", config.Password ?? "");
    }

    public void Dispose() => _basicCredentials?.Dispose();

    private static SecretBuffer EncodeBasic(string user, string password)
    {
        var raw = new byte[Encoding.UTF8.GetByteCount(user) + 1 + Encoding.UTF8.GetByteCount(password)];
        var encoded = new byte[Base64.GetMaxEncodedToUtf8Length(raw.Length)];
        try
        {
            var n = Encoding.UTF8.GetBytes(user, raw);
            raw[n] = (byte)':';
            Encoding.UTF8.GetBytes(password, raw.AsSpan(n + 1));
            Base64.EncodeToUtf8(raw, encoded, out _, out var written);
            return new SecretBuffer(encoded.AsSpan(0, written));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
            CryptographicOperations.ZeroMemory(encoded);
        }
    }

    /// <summary>The CONNECT request head as bytes; the caller zeroes them once sent (they may hold the credentials).</summary>
    private byte[] BuildRequest(string authority, out int length)
    {
        var line = Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
        length = line.Length + AuthorizationLength + 2;
        var request = ArrayPool<byte>.Shared.Rent(length);
        var span = request.AsSpan();
        line.CopyTo(span);
        var at = line.Length;
        at += AppendAuthorization(span[at..]);
        "\r\n"u8.CopyTo(span[at..]);
        return request;
    }

    /// <summary>
    /// A plain connection to the external proxy for <c>http://</c> requests, which are sent to it in
    /// absolute form (<see cref="AppendAuthorization"/> adds its credentials to each). Proxies commonly
    /// refuse CONNECT to any port but 443, so tunnelling port 80 through them would fail.
    /// </summary>
    public async ValueTask<UpstreamLink> OpenForRequestsAsync(CancellationToken ct)
    {
        var socket = await OpenSocketAsync(ct).ConfigureAwait(false);
        return new UpstreamLink(socket, ReadOnlyMemory<byte>.Empty, viaExternalProxy: true) { SendsAbsoluteForm = true };
    }

    /// <summary>The length of the <c>Proxy-Authorization</c> line <see cref="AppendAuthorization"/> writes (0 without credentials).</summary>
    public int AuthorizationLength => _basicCredentials is null ? 0 : AuthorizationName.Length + _basicCredentials.Span.Length + 2;

    /// <summary>Writes the <c>Proxy-Authorization</c> line into <paramref name="destination"/>; returns the bytes written.</summary>
    public int AppendAuthorization(Span<byte> destination)
    {
        if (_basicCredentials is null)
            return 0;
        AuthorizationName.CopyTo(destination);
        var at = AuthorizationName.Length;
        _basicCredentials.Span.CopyTo(destination[at..]);
        at += _basicCredentials.Span.Length;
        "\r\n"u8.CopyTo(destination[at..]);
        return at + 2;
    }

    private async ValueTask<Socket> OpenSocketAsync(CancellationToken ct)
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

        return await UpstreamConnector.ConnectDirectAsync($"external proxy {_host}", addresses, _port, _timeout, ct).ConfigureAwait(false);
    }

    public async ValueTask<UpstreamLink> ConnectAsync(string host, int port, CancellationToken ct)
    {
        var socket = await OpenSocketAsync(ct).ConfigureAwait(false);
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(_timeout);
            var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
            var request = BuildRequest(authority, out var length);
            try
            {
                await socket.SendAsync(request.AsMemory(0, length), cts.Token).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(request.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(request);
            }

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
