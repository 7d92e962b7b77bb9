using System.Net;
using System.Net.Sockets;

namespace Nono.Bench;

/// <summary>A TCP server that writes a constant buffer to each client until the client goes away.</summary>
internal static class BlastServer
{
    public static async Task<int> RunAsync(int port, int seconds)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(128);
        Console.WriteLine($"blast-server listening on {port}");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var block = new byte[256 * 1024];
        Random.Shared.NextBytes(block);
        try
        {
            while (true)
            {
                var client = await listener.AcceptAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            while (!stop.IsCancellationRequested)
                                await client.SendAsync(block, SocketFlags.None, stop.Token);
                        }
                        catch (Exception)
                        {
                        }
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }
}
