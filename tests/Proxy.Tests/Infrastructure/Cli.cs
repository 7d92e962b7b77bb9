using System.Diagnostics;

namespace Nono.Proxy.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs a real client program (curl, python3) with a controlled environment.</summary>
public static class Cli
{
    public const string Python = "/usr/bin/python3";

    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>>? env = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy" })
            psi.Environment.Remove(name);
        foreach (var (k, v) in env ?? [])
            psi.Environment[k] = v;

        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 60 s");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> Curl(params string[] args) => RunAsync("curl", ["-sS", "--max-time", "30", .. args]);

    public static Task<CliResult> PythonScript(string script, IEnumerable<KeyValuePair<string, string>>? env = null, params string[] args) =>
        RunAsync(Python, ["-c", script, .. args], env);
}
