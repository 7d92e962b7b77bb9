using System.Net;
using System.Net.Sockets;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Opens TCP connections for an allowed <see cref="FilterDecision"/>: directly to its checked
/// addresses, or through the external proxy with a CONNECT when the decision says so.
/// </summary>
internal sealed class UpstreamConnector(ProxyConfig config) : IDisposable
{
    private readonly ExternalProxyClient? _external = config.ExternalProxy is { } e ? new ExternalProxyClient(e, config.ConnectTimeout) : null;

    public async ValueTask<UpstreamLink> ConnectAsync(FilterDecision decision, int port, CancellationToken ct)
    {
        if (decision.ViaExternalProxy && _external is not null)
            return await _external.ConnectAsync(decision.Host, port, ct).ConfigureAwait(false);
        var socket = await ConnectDirectAsync(decision.Host, decision.Addresses, port, config.ConnectTimeout, ct).ConfigureAwait(false);
        return new UpstreamLink(socket, ReadOnlyMemory<byte>.Empty, false);
    }

    /// <summary>
    /// A connection for plain <c>http://</c> requests to <paramref name="decision"/>'s host: the external
    /// proxy itself when the decision goes through it (requests then travel in absolute form), otherwise
    /// the host directly.
    /// </summary>
    public ValueTask<UpstreamLink> ConnectForRequestsAsync(FilterDecision decision, int port, CancellationToken ct) =>
        decision.ViaExternalProxy && _external is not null ? _external.OpenForRequestsAsync(ct) : ConnectAsync(decision, port, ct);

    /// <summary>The external proxy's client, for the credentials of absolute-form requests.</summary>
    public ExternalProxyClient? External => _external;

    /// <summary>Zeroes the external proxy's credentials.</summary>
    public void Dispose() => _external?.Dispose();

    /// <summary>Tries each checked address in turn; never resolves the name again.</summary>
    public static async ValueTask<Socket> ConnectDirectAsync(string host, IPAddress[] addresses, int port, TimeSpan timeout, CancellationToken ct)
    {
        if (addresses.Length == 0)
            throw new UpstreamConnectException($"no address to connect to for {host}");

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cts.Token).ConfigureAwait(false);
                return socket;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                last = new UpstreamConnectException($"connection to {host}:{port} timed out", timedOut: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = new UpstreamConnectException($"connection to {host}:{port} failed: {Describe(e.SocketErrorCode)}", inner: e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.TimedOut => "timed out",
        _ => error.ToString(),
    };
}
