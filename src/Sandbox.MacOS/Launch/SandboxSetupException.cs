namespace Nono.Sandbox.MacOS.Launch;

/// <summary>A step of starting or preparing the sandboxed child failed; the message names the step
/// and the system's reason. Stage 2 reports it with exit status 126.</summary>
internal sealed class SandboxSetupException : NonoException
{
    public SandboxSetupException(string step, string reason)
        : base($"{step}: {reason}")
    {
    }

    public SandboxSetupException()
    {
    }

    public override int ExitStatus => LaunchExitStatus.SetupFailed;

    public override string Explanation => $"sandbox setup failed: {Message}";

    public SandboxSetupException(string message)
        : base(message)
    {
    }

    public SandboxSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
