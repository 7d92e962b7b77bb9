using Nono.Proxy;

namespace Nono.Bench;

/// <summary>Runs the nono proxy in its own process for the benchmark, for at most <c>seconds</c>.</summary>
internal static class NonoProxyHost
{
    public static async Task<int> RunAsync(int port, int seconds)
    {
        // What the supervisor does first thing in Main, before any socket exists.
        ProxyServer.PreferInlineSocketCompletions();
        var config = new ProxyConfig { BindPort = port, MaxConnections = 0 };
        await using var proxy = await ProxyServer.StartAsync(config);
        Console.WriteLine($"token {proxy.Token}");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        void Stop()
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already on the way out.
            }
        }

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Stop();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
