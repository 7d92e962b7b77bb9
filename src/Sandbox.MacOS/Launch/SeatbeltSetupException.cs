namespace Nono.Sandbox.MacOS.Launch;

/// <summary>A step of starting or preparing the sandboxed child failed; the message names the step
/// and the system's reason. Stage 2 reports it with exit status 126.</summary>
internal sealed class SeatbeltSetupException : Exception
{
    public SeatbeltSetupException(string step, string reason)
        : base($"{step}: {reason}")
    {
    }

    public SeatbeltSetupException()
    {
    }

    public SeatbeltSetupException(string message)
        : base(message)
    {
    }

    public SeatbeltSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
