using System.Globalization;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>
/// A detached tmux server of its own (private socket name) running a plain bash, driven with
/// send-keys and read with capture-pane: the way to put a real terminal in front of `nono shell`.
/// </summary>
internal sealed class Tmux : IAsyncDisposable
{
    private readonly string _socket = "nono-e2e-" + Guid.NewGuid().ToString("N")[..12];

    private Tmux()
    {
    }

    public static async Task<Tmux> StartAsync(int width = 120, int height = 30)
    {
        var tmux = new Tmux();
        await tmux.CommandAsync("new-session", "-d", "-s", "main", "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture),
            "env -i PATH=/usr/bin:/bin TERM=xterm HOME=/root PS1='outer$ ' bash --norc --noprofile");
        await tmux.WaitForAsync("outer$");
        return tmux;
    }

    /// <summary>Types <paramref name="line"/> and presses Enter.</summary>
    public Task TypeAsync(string line) => CommandAsync("send-keys", "-t", "main", "-l", line).ContinueWith(_ => CommandAsync("send-keys", "-t", "main", "Enter")).Unwrap();

    /// <summary>Presses a key by tmux name (C-c, C-z).</summary>
    public Task KeyAsync(string key) => CommandAsync("send-keys", "-t", "main", key);

    public Task ResizeAsync(int width, int height) =>
        CommandAsync("resize-window", "-t", "main", "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture));

    public async Task<string> ScreenAsync() => (await CommandAsync("capture-pane", "-p", "-t", "main", "-S", "-200")).Stdout;

    /// <summary>Waits (up to 20 s) until the screen shows <paramref name="text"/> at least <paramref name="times"/> times.</summary>
    public async Task<string> WaitForAsync(string text, int times = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var screen = await ScreenAsync();
            if (Count(screen, text) >= times)
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the terminal never showed '{text}'; it shows:\n{screen}");
            }

            await Task.Delay(100);
        }
    }

    public static int Count(string screen, string text)
    {
        var count = 0;
        for (var at = screen.IndexOf(text, StringComparison.Ordinal); at >= 0; at = screen.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync() => await CommandAsync("kill-server");

    private async Task<RunResult> CommandAsync(params string[] arguments) =>
        await Run.ProcessAsync("tmux", ["-L", _socket, .. arguments]);
}
