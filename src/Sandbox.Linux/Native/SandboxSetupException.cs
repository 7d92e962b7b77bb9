namespace Nono.Sandbox.Linux.Native;

/// <summary>
/// One step of applying the sandbox failed at the kernel boundary. <see cref="Step"/> names what
/// was being done (for the "nono: sandbox setup failed" line), <see cref="Errno"/> what the
/// kernel said.
/// </summary>
internal sealed class SandboxSetupException : NonoException
{
    public SandboxSetupException(string step, int errno)
        : base($"{step}: {Native.Errno.Describe(errno)}")
    {
        Step = step;
        Errno = errno;
    }

    public SandboxSetupException(string step, string detail)
        : base($"{step}: {detail}")
    {
        Step = step;
    }

    public SandboxSetupException()
    {
        Step = string.Empty;
    }

    public SandboxSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
        Step = message;
    }

    public string Step { get; }

    public override int ExitStatus => LaunchExitStatus.SetupFailed;

    public override string Explanation => $"sandbox setup failed: {Message}";

    public int Errno { get; }

    /// <summary>Throws with the current errno when <paramref name="result"/> is negative.</summary>
    public static void ThrowIfFailed(nint result, string step)
    {
        if (result < 0)
        {
            throw new SandboxSetupException(step, Native.Errno.Last);
        }
    }
}
