using System.Diagnostics;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>A `nono run` left running so that a test can signal it: stdout is read line by line.</summary>
internal sealed class NonoSession : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    public NonoSession(params string[] arguments)
        : this(new Dictionary<string, string>(), arguments)
    {
    }

    public NonoSession(IReadOnlyDictionary<string, string> environment, params string[] arguments)
        : this(Run.DefaultWorkingDirectory, environment, arguments)
    {
    }

    public NonoSession(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        // Through `env --default-signal`: a test host started in the background of a script inherits
        // SIGINT and SIGQUIT ignored, and nono, like any program, keeps an inherited SIG_IGN. The
        // tests signal nono as a user's terminal would, so it must start with the defaults.
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("--default-signal");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(NonoBinary.Path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int Pid => _process.Id;

    /// <summary>The next line the child writes, within 30 s.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"nono ended before writing a line: {await _stderr}");
    }

    /// <summary>Sends a signal by name (INT, TERM, KILL) to nono itself, as a user or a service manager would.</summary>
    public async Task SignalAsync(string signal)
    {
        var result = await Run.ProcessAsync("/bin/kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>nono's exit status and its stderr, within 30 s.</summary>
    public async Task<(int ExitCode, string Stderr)> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
