using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Nono.Bench;

/// <summary>
/// Keep-alive GET load, one request in flight per connection (like wrk without pipelining), for a
/// bounded time and request count. Prints requests/s and p50/p99 latency.
/// </summary>
internal static class Rps
{
    public static async Task<int> RunAsync(Via via, Uri url, int connections, int seconds, long maxRequests)
    {
        var target = via.Direct ? url.PathAndQuery : url.ToString();
        var request = Encoding.ASCII.GetBytes(
            $"GET {target} HTTP/1.1\r\nHost: {url.Authority}\r\nUser-Agent: loadgen\r\n" + (via.Authorization is null ? "" : $"Proxy-Authorization: {via.Authorization}\r\n") + "\r\n");
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(seconds);
        var warmup = TimeSpan.FromSeconds(Math.Min(2, seconds / 2.0));
        long issued = 0;
        var latencies = new List<double>[connections];
        var workers = new Task[connections];
        long errors = 0;
        for (var i = 0; i < connections; i++)
        {
            var mine = latencies[i] = new List<double>(100_000);
            workers[i] = Task.Run(async () =>
            {
                try
                {
                    // A server that closes after a response (no keep-alive) costs a reconnect, counted in the latency.
                    var host = via.Direct ? url.Host : via.Host!;
                    var port = via.Direct ? url.Port : via.Port;
                    Socket? socket = null;
                    ResponseReader? reader = null;
                    async Task<int> OneAsync()
                    {
                        var reused = socket is not null;
                        if (socket is null)
                        {
                            socket = await Via.ConnectAsync(host, port);
                            reader = new ResponseReader(socket);
                        }

                        int status;
                        bool close;
                        try
                        {
                            await socket.SendAsync(request, SocketFlags.None);
                            (status, close) = await reader!.ReadResponseAsync();
                        }
                        catch (Exception e) when (reused && e is IOException or SocketException)
                        {
                            // The server closed its side after the previous response without saying so: reconnect once.
                            socket.Dispose();
                            socket = await Via.ConnectAsync(host, port);
                            reader = new ResponseReader(socket);
                            await socket.SendAsync(request, SocketFlags.None);
                            (status, close) = await reader.ReadResponseAsync();
                        }
                        if (close)
                        {
                            socket.Dispose();
                            socket = null;
                        }

                        return status;
                    }

                    // Warm-up (JIT, pools) first, not counted; then the measured run.
                    while (deadline.Elapsed < warmup)
                        await OneAsync();

                    while (deadline.Elapsed < limit + warmup && Interlocked.Increment(ref issued) <= maxRequests)
                    {
                        var start = Stopwatch.GetTimestamp();
                        if (await OneAsync() != 200)
                            Interlocked.Increment(ref errors);
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }

                    socket?.Dispose();
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    Console.Error.WriteLine($"worker failed: {e.Message}");
                }
            });
        }

        await Task.WhenAll(workers);
        var elapsed = (deadline.Elapsed - warmup).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        Console.WriteLine($"rps {all.Length / elapsed:F0} p50_ms {P(0.50):F3} p99_ms {P(0.99):F3} requests {all.Length} errors {errors}");
        return errors > 0 && all.Length == 0 ? 1 : 0;
    }

    /// <summary>Reads one response (Content-Length or chunked framing) and returns its status.</summary>
    private sealed class ResponseReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<(int Status, bool Close)> ReadResponseAsync()
        {
            int headEnd;
            while ((headEnd = IndexOf("\r\n\r\n"u8)) < 0)
                await FillAsync();
            var head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
            var status = int.Parse(head.AsSpan(9, 3));
            _start = headEnd + 4;
            var length = 0L;
            var chunked = false;
            var close = head.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase) || head.StartsWith("HTTP/1.0", StringComparison.Ordinal);
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    length = long.Parse(line.AsSpan(15).Trim());
                else if (line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                    chunked = true;
            }

            if (chunked)
            {
                while (IndexOf("0\r\n\r\n"u8) < 0)
                    await FillAsync();
                _start = IndexOf("0\r\n\r\n"u8) + 5;
                return (status, close);
            }

            while (_end - _start < length)
                await FillAsync();
            _start += (int)length;
            return (status, close);
        }

        private int IndexOf(ReadOnlySpan<byte> needle)
        {
            var i = _buffer.AsSpan(_start, _end - _start).IndexOf(needle);
            return i < 0 ? -1 : _start + i;
        }

        private async Task FillAsync()
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (n == 0)
                throw new IOException("connection closed");
            _end += n;
        }
    }
}
