using System.Net.Sockets;

namespace Nono.Proxy.Upstream;

/// <summary>A connected upstream socket, plus any bytes an external proxy sent after its CONNECT reply.</summary>
internal sealed class UpstreamLink(Socket socket, ReadOnlyMemory<byte> leftover, bool viaExternalProxy) : IDisposable
{
    public Socket Socket { get; } = socket;

    public ReadOnlyMemory<byte> Leftover { get; } = leftover;

    public bool ViaExternalProxy { get; } = viaExternalProxy;

    /// <summary>A connection to the external proxy itself (not a tunnel through it): plain HTTP requests
    /// on it carry an absolute-form target and the proxy's credentials.</summary>
    public bool SendsAbsoluteForm { get; init; }

    public void Dispose() => Socket.Dispose();
}

/// <summary>The upstream could not be reached; the message names the target, never a credential.</summary>
internal sealed class UpstreamConnectException(string message, bool timedOut = false, Exception? inner = null)
    : Exception(message, inner)
{
    public bool TimedOut { get; } = timedOut;
}
