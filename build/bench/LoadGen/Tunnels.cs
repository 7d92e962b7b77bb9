using System.Net.Sockets;

namespace Nono.Bench;

/// <summary>Opens <c>count</c> CONNECT tunnels, holds them open for <c>holdSeconds</c>, then closes them.</summary>
internal static class Tunnels
{
    public static async Task<int> RunAsync(Via via, string target, int count, int holdSeconds)
    {
        var colon = target.LastIndexOf(':');
        var host = target[..colon];
        var port = int.Parse(target[(colon + 1)..]);
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
                sockets.Add(await via.TunnelAsync(host, port));
            Console.WriteLine($"open {sockets.Count}");
            await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
            return 0;
        }
        finally
        {
            foreach (var s in sockets)
                s.Dispose();
        }
    }
}
