namespace Nono.Sandbox;

/// <summary>The policy the user asked for is invalid or contradictory. The message says what to change.</summary>
public sealed class PolicyException : Exception
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
}
