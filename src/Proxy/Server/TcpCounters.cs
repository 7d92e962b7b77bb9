using System.Buffers.Binary;
using System.Net.Sockets;

namespace Nono.Proxy.Server;

/// <summary>
/// A TCP socket's payload byte counters from the kernel (Linux <c>TCP_INFO</c>: <c>tcpi_bytes_received</c> and
/// <c>tcpi_bytes_acked</c>), so traffic is counted in every mode, spliced tunnels included, without touching
/// the data path. Elsewhere, or on a closed socket, nothing is read.
/// </summary>
internal static class TcpCounters
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const int BytesAckedOffset = 120;
    private const int BytesReceivedOffset = 128;

    public static bool TryRead(Socket socket, out long received, out long sent)
    {
        received = sent = 0;
        if (!OperatingSystem.IsLinux())
            return false;
        Span<byte> info = stackalloc byte[256];
        try
        {
            var length = socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            if (length < BytesReceivedOffset + 8)
                return false;
            sent = (long)BinaryPrimitives.ReadUInt64LittleEndian(info[BytesAckedOffset..]);
            received = (long)BinaryPrimitives.ReadUInt64LittleEndian(info[BytesReceivedOffset..]);
            if (!BitConverter.IsLittleEndian)
            {
                sent = (long)BinaryPrimitives.ReadUInt64BigEndian(info[BytesAckedOffset..]);
                received = (long)BinaryPrimitives.ReadUInt64BigEndian(info[BytesReceivedOffset..]);
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
