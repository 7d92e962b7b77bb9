namespace Nono.Sandbox;

/// <summary>
/// A failure nono can explain to its user: the message says what happened and what to do, and
/// <see cref="ExitStatus"/> is the status nono exits with for it (2 for what the user asked,
/// 126 when the sandbox or session cannot be set up, 127 when the command cannot be executed).
/// Every layer throws these; the command line turns one into a line on stderr and that status
/// without deciding the status again.
/// </summary>
public abstract class NonoException : Exception
{
    protected NonoException(string message)
        : base(message)
    {
    }

    protected NonoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    protected NonoException()
    {
    }

    public abstract int ExitStatus { get; }

    /// <summary>The line printed after "nono: " (the message, with a prefix where the kind of failure needs naming).</summary>
    public virtual string Explanation => Message;
}
