using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Nono.Proxy.Pipeline;

namespace Nono.Proxy.Server;

/// <summary>
/// Accept loops over the proxy's listening sockets, with the connection limit and the per-address cap (a
/// client over either gets a 503, not a silent drop) and the bookkeeping needed to wait for, or abort, open connections.
/// Each connection runs on the runtime current when it was accepted (<see cref="Swap"/> replaces it on reload).
/// </summary>
internal sealed partial class Listener(ProxyRuntime initialRuntime, IReadOnlyList<Socket> initialSockets)
{
    private static readonly byte[] Busy = BusyResponse("nono: too many connections to the proxy\r\n");
    private static readonly byte[] PeerBusy = BusyResponse("nono: too many connections from this address\r\n");

    private readonly ConcurrentDictionary<long, (Socket Socket, Task Task)> _open = new();
    private readonly List<Task> _loops = [];
    private readonly List<Socket> _sockets = [.. initialSockets];
    private readonly PeerConnections _peers = new(initialRuntime.Config.MaxConnectionsPerPeer);
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly Lock _swapLock = new();
    private ProxyRuntime _runtime = initialRuntime;
    private long _nextId;
    private int _active;
    private bool _stopped;

    public IReadOnlyList<Socket> Sockets => _sockets;

    public void Start()
    {
        lock (_loops)
        {
            foreach (var socket in _sockets)
                _loops.Add(Task.Run(() => AcceptLoopAsync(socket)));
        }
    }

    /// <summary>Starts accepting on one more listening socket; after shutdown the socket is closed and refused.</summary>
    public void Add(Socket socket)
    {
        lock (_loops)
        {
            if (_stopped)
            {
                socket.Dispose();
                throw new ObjectDisposedException(nameof(ProxyHandle), "the proxy has shut down");
            }

            _sockets.Add(socket);
            _loops.Add(Task.Run(() => AcceptLoopAsync(socket)));
        }
    }

    private async Task AcceptLoopAsync(Socket listen)
    {
        var ct = _stopAccepting.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listen.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // Out of descriptors or a connection reset before accept: back off briefly and go on.
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var runtime = Current;

            // The per-address cap first: a peer over its share must not take one of the shared slots.
            var peer = _peers.TryEnter(socket, out var peerRefused);
            if (peerRefused)
            {
                _ = RejectBusyAsync(socket, PeerBusy, $"connection limit per client address ({runtime.Config.MaxConnectionsPerPeer}) reached");
                continue;
            }

            var max = runtime.Config.MaxConnections;
            if (Interlocked.Increment(ref _active) > max && max > 0)
            {
                Interlocked.Decrement(ref _active);
                _peers.Leave(peer);
                _ = RejectBusyAsync(socket, Busy, $"connection limit ({max}) reached");
                continue;
            }

            var id = Interlocked.Increment(ref _nextId);
            var task = RunAsync(id, socket, peer, Enter());
            _open.TryAdd(id, (socket, task));
            if (task.IsCompleted)
                _open.TryRemove(id, out _);
        }
    }

    private async Task RunAsync(long id, Socket socket, System.Net.IPAddress? peer, ProxyRuntime runtime)
    {
        await Task.Yield();
        runtime.Metrics.ConnectionOpened();
        try
        {
            await ConnectionHandler.RunAsync(runtime, socket, () => Closing(id, socket, runtime.Metrics)).ConfigureAwait(false);
        }
        finally
        {
            _open.TryRemove(id, out _);
            Interlocked.Decrement(ref _active);
            _peers.Leave(peer);
            runtime.Leave();
        }
    }

    private static byte[] BusyResponse(string body) => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");

    private async Task RejectBusyAsync(Socket socket, byte[] response, string reason)
    {
        Current.Audit.Add(new NetworkAuditEvent
        {
            Mode = AuditMode.Forward,
            Decision = AuditDecision.Deny,
            Status = 503,
            Reason = reason,
            ReasonCode = ReferenceEquals(response, Busy) ? "connection_limit" : "peer_connection_limit",
        });
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(response, SocketFlags.None, cts.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);

            // Read what the client already sent before closing, so the close does not turn into a
            // reset that could destroy the 503 before the client reads it.
            var sink = new byte[4096];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, cts.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    public void StopAccepting()
    {
        lock (_loops)
        {
            _stopped = true;
            _stopAccepting.Cancel();
            foreach (var socket in _sockets)
                socket.Dispose();
        }
    }

    /// <summary>Waits for open connections to end by themselves, up to <paramref name="grace"/>.</summary>
    public async Task WaitAsync(TimeSpan grace)
    {
        var deadline = Environment.TickCount64 + (long)grace.TotalMilliseconds;
        while (!_open.IsEmpty && Environment.TickCount64 < deadline)
        {
            var tasks = _open.Values.Select(v => v.Task).ToArray();
            try
            {
                await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64))).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    public void AbortAll()
    {
        foreach (var (socket, _) in _open.Values)
        {
            try
            {
                socket.Close(0);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
