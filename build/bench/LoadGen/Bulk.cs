using System.Diagnostics;
using System.Net.Sockets;

namespace Nono.Bench;

/// <summary>Downloads from the blast server for a fixed time and reports MB/s.</summary>
internal static class Bulk
{
    public static async Task<int> RunAsync(Via via, string target, int seconds)
    {
        var colon = target.LastIndexOf(':');
        using var socket = await via.TunnelAsync(target[..colon], int.Parse(target[(colon + 1)..]));
        var buffer = new byte[256 * 1024];
        long total = 0;
        var warmup = Stopwatch.StartNew();
        while (warmup.ElapsedMilliseconds < 500)
            total += await socket.ReceiveAsync(buffer, SocketFlags.None);

        total = 0;
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(seconds);
        while (clock.Elapsed < limit)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
                break;
            total += n;
        }

        var mbps = total / clock.Elapsed.TotalSeconds / (1024 * 1024);
        Console.WriteLine($"bulk_mb_per_s {mbps:F1}");
        return 0;
    }
}
