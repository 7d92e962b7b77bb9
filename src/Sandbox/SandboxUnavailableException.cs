namespace Nono.Sandbox;

/// <summary>
/// A restriction the policy depends on cannot be applied on this machine (kernel too old, feature
/// disabled, namespaces forbidden). nono refuses to run rather than run with less confinement;
/// the message says what is missing and how to fix it.
/// </summary>
public sealed class SandboxUnavailableException : NonoException
{
    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    public SandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SandboxUnavailableException()
    {
    }

    public override int ExitStatus => LaunchExitStatus.SetupFailed;

    public override string Explanation => $"cannot sandbox: {Message}";
}
