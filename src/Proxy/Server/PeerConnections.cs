using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy.Server;

/// <summary>
/// Open connections per client address, for <see cref="ProxyConfig.MaxConnectionsPerPeer"/>: one peer
/// holding idle or slow connections can then take only its share of the proxy's slots, not all of them.
/// </summary>
internal sealed class PeerConnections(int maxPerPeer)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>The address <paramref name="socket"/>'s slot is counted under; null when no cap applies.</summary>
    public IPAddress? TryEnter(Socket socket, out bool refused)
    {
        refused = false;
        if (maxPerPeer <= 0 || socket.RemoteEndPoint is not IPEndPoint remote)
            return null;

        var peer = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        if (_open.AddOrUpdate(peer, 1, static (_, n) => n + 1) <= maxPerPeer)
            return peer;

        Leave(peer);
        refused = true;
        return null;
    }

    public void Leave(IPAddress? peer)
    {
        if (peer is null)
            return;

        // Remove the entry when it reaches zero, so addresses seen once do not accumulate.
        while (_open.TryGetValue(peer, out var n))
        {
            if (n <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(peer, n)) : _open.TryUpdate(peer, n - 1, n))
                return;
        }
    }
}
