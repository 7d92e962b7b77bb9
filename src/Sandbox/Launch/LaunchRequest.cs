using Microsoft.Win32.SafeHandles;

namespace Nono.Sandbox;

/// <summary>What every platform's launcher needs besides its own sandbox plan: the target, the stage 2
/// program, the child's stdio and terminal, verbosity.</summary>
public abstract record LaunchRequest
{
    public required LaunchTarget Target { get; init; }

    /// <summary>The executable that implements `__sandbox-exec` (the nono binary itself by default).</summary>
    public string? Stage2Program { get; init; }

    /// <summary>Arguments placed before `__sandbox-exec &lt;fd&gt;` (for a host that needs a sub-path, e.g. tests).</summary>
    public IReadOnlyList<string> Stage2Arguments { get; init; } = [];

    /// <summary>Descriptors the child gets as 0, 1 and 2; null inherits the supervisor's own.</summary>
    public SafeFileHandle? StandardInput { get; init; }

    public SafeFileHandle? StandardOutput { get; init; }

    public SafeFileHandle? StandardError { get; init; }

    /// <summary>Start a new session with <see cref="StandardInput"/> (a PTY) as controlling terminal.</summary>
    public bool ControllingTerminal { get; init; }

    public bool Verbose { get; init; }
}
