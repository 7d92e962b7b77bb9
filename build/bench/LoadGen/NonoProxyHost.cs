using Nono.Proxy;

namespace Nono.Bench;

/// <summary>Runs the nono proxy in its own process for the benchmark, for at most <c>seconds</c>.</summary>
internal static class NonoProxyHost
{
    public static async Task<int> RunAsync(int port, int seconds)
    {
        // The nono executable does not turn inline completions on (they stall intercepted TLS);
        // BENCH_INLINE=1 measures the library with them, as a host that only tunnels might run it.
        if (Environment.GetEnvironmentVariable("BENCH_INLINE") == "1")
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
