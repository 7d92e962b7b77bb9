using System.Runtime.InteropServices;

namespace Nono.Sandbox;

/// <summary>
/// One step of setting up the sandbox or starting its child failed at the system boundary, on
/// either platform. <see cref="Step"/> names what was being done (for the "nono: sandbox setup
/// failed" line), <see cref="Errno"/> what the system said, when it said it with a number.
/// Reported with exit status 126: nothing was executed.
/// </summary>
public sealed class SandboxSetupException : NonoException
{
    public SandboxSetupException(string step, int errno)
        : base($"{step}: {Describe(errno)}")
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

    public SandboxSetupException(string message)
        : base(message)
    {
        Step = message;
    }

    public SandboxSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
        Step = message;
    }

    public string Step { get; }

    public int Errno { get; }

    public override int ExitStatus => LaunchExitStatus.SetupFailed;

    public override string Explanation => $"sandbox setup failed: {Message}";

    /// <summary>The C library's text for <paramref name="errno"/>, with the number.</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    /// <summary>Throws with the current errno when <paramref name="result"/> is negative.</summary>
    public static void ThrowIfFailed(nint result, string step)
    {
        if (result < 0)
        {
            throw new SandboxSetupException(step, Marshal.GetLastPInvokeError());
        }
    }
}
