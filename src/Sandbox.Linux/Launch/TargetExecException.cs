namespace Nono.Sandbox.Linux.Launch;

/// <summary>execve of the target itself failed (not found, not executable, refused by Landlock).
/// Reported with exit status 127, like a shell's "command not found".</summary>
internal sealed class TargetExecException : NonoException
{
    public TargetExecException(string message, int errno)
        : base(message)
    {
        Errno = errno;
    }

    public TargetExecException()
    {
    }

    public TargetExecException(string message)
        : base(message)
    {
    }

    public TargetExecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Errno { get; }

    public override int ExitStatus => LaunchExitStatus.CannotExecute;
}
