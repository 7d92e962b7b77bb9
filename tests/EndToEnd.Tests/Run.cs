using System.Diagnostics;

namespace Nono.EndToEnd.Tests;

/// <summary>The outcome of one process run.</summary>
internal sealed record RunResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs processes to completion with captured output and a generous timeout.</summary>
internal static class Run
{
    /// <summary>
    /// An empty project directory of this test run, the working directory of commands that name
    /// none. Not /tmp itself: a session's writable working directory is searched for repositories
    /// to protect, and other tests keep theirs in /tmp at the same time.
    /// </summary>
    private static readonly Lazy<string> WorkingDirectory = new(() =>
        Directory.CreateDirectory(Path.Join("/var/tmp", $"nono-e2e-cwd-{Environment.ProcessId}")).FullName);

    public static string DefaultWorkingDirectory => WorkingDirectory.Value;

    public static async Task<RunResult> ProcessAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? DefaultWorkingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish within 60 s");
        }

        return new RunResult(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    /// <summary>`nono wrap [flags] -- probe OP ARGS...`, with the probe's directory readable.</summary>
    public static Task<RunResult> WrappedProbeAsync(IEnumerable<string> flags, params string[] probeArguments) =>
        WrappedProbeAsync(flags, null, probeArguments);

    public static Task<RunResult> WrappedProbeAsync(IEnumerable<string> flags, IReadOnlyDictionary<string, string?>? environment, params string[] probeArguments) =>
        ProcessAsync(
            NonoBinary.Path,
            ["wrap", "--read", NonoBinary.ProbeDirectory, .. flags, "--", NonoBinary.Probe, .. probeArguments],
            environment);

    /// <summary>The same probe outside any sandbox: the positive control that shows a denial is the sandbox's doing.</summary>
    public static Task<RunResult> BareProbeAsync(params string[] probeArguments) =>
        ProcessAsync(NonoBinary.Probe, probeArguments);

    public static Task<RunResult> NonoAsync(params string[] arguments) => ProcessAsync(NonoBinary.Path, arguments);
}
