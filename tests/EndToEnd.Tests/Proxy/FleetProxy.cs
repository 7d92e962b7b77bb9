using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>A running `nono proxy` with its output lines collected, its admin port known, and signals to send it.</summary>
internal sealed class FleetProxy : IDisposable
{
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly Process _process;

    private FleetProxy(Process process, int adminPort)
    {
        _process = process;
        AdminPort = adminPort;
        _ = PumpAsync(process.StandardOutput, _stdout);
        _ = PumpAsync(process.StandardError, _stderr);
    }

    public int AdminPort { get; }

    public int ProxyPort { get; private set; }

    public string Stdout => string.Join("\n", _stdout);

    public string Stderr => string.Join("\n", _stderr);

    public Process Process => _process;

    /// <summary>Starts `nono proxy ARGS --admin-listen 127.0.0.1:FREE` (unless the args name one) and waits for it to serve.</summary>
    public static async Task<FleetProxy> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, int? adminPort = null)
    {
        var list = args.ToList();
        var admin = adminPort ?? FreePort();
        if (!list.Contains("--admin-listen"))
            list.AddRange(["--admin-listen", $"127.0.0.1:{admin}"]);
        var start = new ProcessStartInfo(NonoBinary.Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        list.Insert(0, "proxy");
        list.ForEach(start.ArgumentList.Add);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var proxy = new FleetProxy(Process.Start(start)!, admin);
        var listening = await proxy.WaitForLineAsync("# nono proxy listening on ", TimeSpan.FromSeconds(30));
        proxy.ProxyPort = int.Parse(listening[(listening.LastIndexOf(':') + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
        await proxy.WaitForLineAsync("# serving", TimeSpan.FromSeconds(30));
        return proxy;
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The first line (stdout or stderr) starting with <paramref name="prefix"/> or containing it, waiting for it.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, int skip = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = _stdout.Concat(_stderr).Where(l => l.Contains(text, StringComparison.Ordinal)).Skip(skip).FirstOrDefault();
            if (found is not null)
                return found;
            if (_process.HasExited)
                break;
            await Task.Delay(50);
        }

        throw new InvalidOperationException($"nono proxy never printed '{text}'\nstdout: {Stdout}\nstderr: {Stderr}");
    }

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>GET on the admin endpoint: "STATUS BODY".</summary>
    public async Task<(int Status, string Body)> AdminAsync(string path)
    {
        var result = await Run.ProcessAsync("curl", ["-s", "--max-time", "10", "-w", "\n%{http_code}", $"http://127.0.0.1:{AdminPort}{path}"]);
        var text = result.Stdout;
        var cut = text.LastIndexOf('\n');
        return (int.Parse(text[(cut + 1)..], CultureInfo.InvariantCulture), text[..Math.Max(0, cut)].TrimEnd('\n'));
    }

    /// <summary>The value of the metric line <paramref name="series"/> (name with labels), 0 when absent.</summary>
    public async Task<long> MetricAsync(string series)
    {
        var (_, body) = await AdminAsync("/metrics");
        var line = body.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>curl through the proxy with <paramref name="token"/>: "STATUS" plus the Retry-After header when there is one.</summary>
    public async Task<string> CurlAsync(string url, string token, params string[] extra)
    {
        var result = await Run.ProcessAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-D", "-", "-x", $"http://nono:{token}@127.0.0.1:{ProxyPort}", .. extra, url]);
        var lines = result.Stdout.Split("\r\n");
        var status = lines[0].Split(' ').ElementAtOrDefault(1) ?? $"curl exit {result.ExitCode}";
        var retry = lines.FirstOrDefault(l => l.StartsWith("Retry-After:", StringComparison.OrdinalIgnoreCase));
        return retry is null ? status : $"{status} {retry}";
    }

    public async Task<int> StopAsync(string signal = "TERM")
    {
        Signal(signal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, ConcurrentQueue<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
            lines.Enqueue(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}

/// <summary>
/// A loopback origin: answers HTTP with "hello" (after <see cref="Delay"/>), or echoes raw bytes back when the
/// first line is not HTTP (for tunnels), keeping the connection open.
/// </summary>
internal sealed class FleetOrigin : IDisposable
{
    private readonly TcpListener _listener;
    private int _requests;

    public FleetOrigin(string address)
    {
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref _requests);

    public TimeSpan Delay { get; set; }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
                _ = ServeAsync(await _listener.AcceptTcpClientAsync());
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var n = await stream.ReadAsync(buffer);
                if (n == 0)
                    return;
                if (!Encoding.ASCII.GetString(buffer, 0, n).StartsWith("GET ", StringComparison.Ordinal))
                {
                    do
                        await stream.WriteAsync(buffer.AsMemory(0, n));
                    while ((n = await stream.ReadAsync(buffer)) > 0);
                    return;
                }

                Interlocked.Increment(ref _requests);
                await Task.Delay(Delay);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"u8.ToArray());
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose() => _listener.Stop();
}
