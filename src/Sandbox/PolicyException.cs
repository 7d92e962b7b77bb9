namespace Nono.Sandbox;

/// <summary>The policy the user asked for is invalid or contradictory. The message says what to change.</summary>
public sealed class PolicyException : NonoException
{
    public PolicyException(string message)
        : base(message)
    {
    }

    public PolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PolicyException()
    {
    }

    public override int ExitStatus => LaunchExitStatus.Usage;
}
