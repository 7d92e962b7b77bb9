using System.ComponentModel;
using CliWrap;

namespace Nono.Proxy.Credentials;

/// <summary>
/// Runs a helper program (secret-tool, security, op, a cmd:// command) without a shell, with empty
/// stdin, this process's environment plus <see cref="CredentialLoaderOptions.HelperEnvironment"/>,
/// and a time limit after which the program and its descendants are killed.
/// </summary>
internal static class HelperProcess
{
    private const int StderrLimit = 16 * 1024;

    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled; a timeout is reported in the result.</exception>
    public static async ValueTask<HelperRun> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CredentialLoaderOptions options,
        CancellationToken ct)
    {
        var run = new HelperRun(new BoundedCapture(options.MaxSecretBytes), new BoundedCapture(StderrLimit));
        var command = Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithEnvironmentVariables(options.HelperEnvironment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(run.Stdout.FillAsync))
            .WithStandardErrorPipe(PipeTarget.Create(run.Stderr.FillAsync));

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            var result = await command.ExecuteAsync(timeoutCts.Token).ConfigureAwait(false);
            run.ExitCode = result.ExitCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            run.TimedOut = true;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // The message names the program and the OS error; it cannot contain output, since none was read.
            run.StartError = e.Message;
        }
        catch
        {
            run.Dispose();
            throw;
        }

        return run;
    }
}
