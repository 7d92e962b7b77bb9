namespace Nono.Proxy.Credentials;

/// <summary>How a helper program run ended. Disposing it zeroes the captured output.</summary>
internal sealed class HelperRun : IDisposable
{
    public HelperRun(BoundedCapture stdout, BoundedCapture stderr)
    {
        Stdout = stdout;
        Stderr = stderr;
    }

    public BoundedCapture Stdout { get; }

    public BoundedCapture Stderr { get; }

    public int ExitCode { get; set; }

    public bool TimedOut { get; set; }

    /// <summary>Set when the program could not be started at all (not executable, bad interpreter, ...).</summary>
    public string? StartError { get; set; }

    public void Dispose()
    {
        Stdout.Dispose();
        Stderr.Dispose();
    }
}
