namespace Nono.Sandbox;

/// <summary>The sandboxed child could not be started, or exited before its launch completed (on
/// Linux: before it handed over its listeners; on macOS: before it took its launch spec). Stage 2's
/// own explanation has already gone to the child's stderr.</summary>
public sealed class SandboxLaunchException : NonoException
{
    public SandboxLaunchException(string message)
        : base(message)
    {
    }

    public SandboxLaunchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SandboxLaunchException()
    {
    }

    /// <summary>The child's exit status when it had already exited (126: setup failed, 127: cannot execute).</summary>
    public int? ExitCode { get; init; }

    /// <summary>The child's own status when it had one (its reason is on stderr already), else 126.</summary>
    public override int ExitStatus => ExitCode is int code && code != 0 ? code : LaunchExitStatus.SetupFailed;
}
