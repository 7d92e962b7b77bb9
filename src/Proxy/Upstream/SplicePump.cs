using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Nono.Proxy.Upstream;

/// <summary>
/// One direction of a tunnel on Linux: socket to pipe to socket with splice(2), so the payload never
/// enters user space. Readiness comes from a one-byte MSG_PEEK receive (which waits without consuming),
/// asked for only when a splice finds nothing to move; when the destination is full, what is in the pipe
/// goes through a user-space buffer whose send waits for room, then splicing resumes.
/// </summary>
internal sealed class SplicePump : IDisposable
{
    private const int PipeSize = 1024 * 1024;

    /// <summary>A chunk this small left the source socket empty, as far as anyone can tell.</summary>
    private const int ShortChunk = 16 * 1024;
    private readonly int _pipeRead;
    private readonly int _pipeWrite;

    private SplicePump(int pipeRead, int pipeWrite)
    {
        _pipeRead = pipeRead;
        _pipeWrite = pipeWrite;
    }

    public static SplicePump? TryCreate() =>
        SpliceInterop.TryCreatePipe(PipeSize, out var r, out var w) ? new SplicePump(r, w) : null;

    /// <summary>Runs until the source ends (then half-closes the destination) or fails.</summary>
    public async Task RunAsync(Socket source, Socket destination, Action onData, CancellationToken ct)
    {
        // Hold both descriptors so that a concurrent close cannot hand their numbers to another socket mid-splice.
        var sourceRef = false;
        var destinationRef = false;
        try
        {
            source.SafeHandle.DangerousAddRef(ref sourceRef);
            destination.SafeHandle.DangerousAddRef(ref destinationRef);
            await PumpAsync(source, destination, onData, ct).ConfigureAwait(false);
        }
        finally
        {
            if (sourceRef)
                source.SafeHandle.DangerousRelease();
            if (destinationRef)
                destination.SafeHandle.DangerousRelease();
        }
    }

    private async Task PumpAsync(Socket source, Socket destination, Action onData, CancellationToken ct)
    {
        var peek = new byte[1];
        var sourceFd = (int)source.SafeHandle.DangerousGetHandle();
        var destinationFd = (int)destination.SafeHandle.DangerousGetHandle();
        var drained = false;
        while (true)
        {
            // Splice first while data streams in: there is no need to wait, and the readiness wait (a
            // one-byte MSG_PEEK receive) costs a system call per chunk. After a short chunk (one request
            // or response of an interactive exchange) the socket is almost surely empty, so wait first
            // rather than pay for a splice that would only say "nothing yet". The peek ending at 0 is the
            // source's end.
            if (drained && await source.ReceiveAsync(peek, SocketFlags.Peek, ct).ConfigureAwait(false) == 0)
            {
                destination.Shutdown(SocketShutdown.Send);
                return;
            }

            var moved = SpliceInterop.Splice(sourceFd, 0, _pipeWrite, 0, PipeSize, SpliceInterop.Move | SpliceInterop.NonBlock);
            if (moved == 0)
            {
                destination.Shutdown(SocketShutdown.Send);
                return;
            }

            if (moved < 0)
            {
                if (Marshal.GetLastPInvokeError() != SpliceInterop.EAgain)
                    throw new SocketException(Marshal.GetLastPInvokeError());
                drained = true;
                continue;
            }

            onData();
            drained = moved < ShortChunk;
            await DrainAsync(destination, destinationFd, moved, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask DrainAsync(Socket destination, int destinationFd, nint pending, CancellationToken ct)
    {
        while (pending > 0)
        {
            var sent = SpliceInterop.Splice(_pipeRead, 0, destinationFd, 0, (nuint)pending, SpliceInterop.Move | SpliceInterop.NonBlock);
            if (sent > 0)
            {
                pending -= sent;
                continue;
            }

            var error = Marshal.GetLastPInvokeError();
            if (sent == 0 || error != SpliceInterop.EAgain)
                throw new SocketException(sent == 0 ? (int)SocketError.ConnectionReset : error);

            pending -= await SendThroughBufferAsync(destination, (int)Math.Min(pending, 256 * 1024), ct).ConfigureAwait(false);
        }
    }

    private async ValueTask<int> SendThroughBufferAsync(Socket destination, int count, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(count);
        try
        {
            var n = ReadPipe(buffer, count);
            await Tunnel.SendAllAsync(destination, buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private unsafe int ReadPipe(byte[] buffer, int count)
    {
        fixed (byte* p = buffer)
        {
            var n = SpliceInterop.Read(_pipeRead, p, (nuint)count);
            return n > 0 ? (int)n : throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    public void Dispose()
    {
        SpliceInterop.Close(_pipeRead);
        SpliceInterop.Close(_pipeWrite);
    }
}
