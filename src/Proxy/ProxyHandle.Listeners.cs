using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy;

public sealed partial class ProxyHandle
{
    /// <summary>
    /// Starts accepting on a listening socket created after the proxy started, such as the one a
    /// sandboxed child binds inside its own network namespace (whose address and port the child was
    /// already told through <see cref="EnvVars"/>). The socket belongs to the proxy from then on and is
    /// closed when it shuts down.
    /// </summary>
    /// <exception cref="ProxyConfigException">The socket is not bound to an IP address.</exception>
    /// <exception cref="ObjectDisposedException">The proxy has shut down (the socket is closed).</exception>
    public void AddListener(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.LocalEndPoint is not IPEndPoint { Address: var address })
            throw new ProxyConfigException("a listening socket passed to the proxy is not bound to an IP address");
        if (!Runtime.Config.RequireAuth && !IPAddress.IsLoopback(address))
            throw new ProxyConfigException($"refusing to serve without authentication on {socket.LocalEndPoint}: an open proxy must listen on loopback only");
        _listener.Add(socket);
    }
}
