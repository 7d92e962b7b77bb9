using Nono.Sandbox;

namespace Nono.Supervisor.Session;

/// <summary>A session could not be set up (temporary directory, proxy, listener hand-over); the message says what to do.</summary>
internal sealed class SessionException : NonoException
{
    public SessionException(string message)
        : base(message)
    {
    }

    public SessionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionException()
    {
    }

    public override int ExitStatus => LaunchExitStatus.SetupFailed;
}
