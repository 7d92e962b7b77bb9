namespace Nono.EndToEnd.Tests;

/// <summary>Finds processes by a marker word on their command line, as seen from the host. A program
/// in a PID namespace cannot tell its host pid, so tests mark the processes they look for instead.</summary>
internal static class HostProcesses
{
    /// <summary>Host pids of live (not zombie) processes with <paramref name="marker"/> as one of their
    /// arguments, nono itself left out (the marker is on its command line too).</summary>
    public static IReadOnlyList<int> WithArgument(string marker)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Join(entry, "cmdline")).Split('\0');
                if (arguments.Contains(marker, StringComparer.Ordinal) && arguments[0] != NonoBinary.Path && !IsZombie(entry))
                {
                    found.Add(pid);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }

        return found;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every marked process to be gone; returns those left.</summary>
    public static async Task<IReadOnlyList<int>> GoneAsync(string marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var left = WithArgument(marker);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            left = WithArgument(marker);
        }

        return left;
    }

    /// <summary>A unique word to put on a command line.</summary>
    public static string NewMarker() => "nono-e2e-" + Guid.NewGuid().ToString("N")[..12];

    private static bool IsZombie(string entry) =>
        File.ReadAllText(Path.Join(entry, "stat")) is var stat && stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
}
