using System.Net.Sockets;
using System.Text;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>
/// Helpers for steering a running session from outside: its row in `nono ps` (found by a marker in
/// its command, since other tests' sessions may run at the same time), and a raw control request.
/// </summary>
internal static class LiveSession
{
    /// <summary>The id of the session whose command contains <paramref name="marker"/>, waiting up to 30 s for it to appear.</summary>
    public static async Task<string> IdAsync(string marker)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var ps = await Run.NonoAsync("ps");
            if (ps.Stdout.Split('\n').FirstOrDefault(line => line.Contains(marker, StringComparison.Ordinal)) is { } row)
            {
                return row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"no session with {marker} in nono ps: {ps}");
            await Task.Delay(200);
        }
    }

    /// <summary>The `nono ps` row of the session, or null.</summary>
    public static async Task<string?> RowAsync(string id) =>
        (await Run.NonoAsync("ps")).Stdout.Split('\n').FirstOrDefault(line => line.StartsWith(id, StringComparison.Ordinal));

    /// <summary>The session directory of <paramref name="id"/> (the id `nono ps` shows is a prefix of the directory's).</summary>
    public static string Directory(string id) =>
        new[] { Environment.GetEnvironmentVariable("TMPDIR"), "/tmp" }
            .OfType<string>()
            .Where(System.IO.Directory.Exists)
            .SelectMany(root => System.IO.Directory.GetDirectories(root, "nono-session-" + id + "*"))
            .Distinct()
            .Single();

    /// <summary>Sends one raw status request to a control socket and returns what came back ("" for nothing).</summary>
    public static async Task<string> RawStatusAsync(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"op\":\"status\"}\n"));
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
