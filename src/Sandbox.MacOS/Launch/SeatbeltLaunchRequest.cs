using Microsoft.Win32.SafeHandles;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>What <see cref="SeatbeltLauncher.StartAsync"/> starts: the macOS counterpart of the
/// Linux launcher's request, with the policy in place of a Linux launch plan.</summary>
public sealed record SeatbeltLaunchRequest
{
    /// <summary>The complete policy (system grants included); stage 2 turns it into the profile.</summary>
    public required SandboxPolicy Policy { get; init; }

    /// <summary>The home directory whose credentials the profile protects (and, in the supervisor,
    /// the link resolver used to check the policy before anything starts).</summary>
    public required SeatbeltContext Context { get; init; }

    public required LaunchTarget Target { get; init; }

    /// <summary>The executable that implements `__sandbox-exec` (the nono binary itself by default).</summary>
    public string? Stage2Program { get; init; }

    /// <summary>Arguments placed before `__sandbox-exec 3` (for a host that needs a sub-path, e.g. tests).</summary>
    public IReadOnlyList<string> Stage2Arguments { get; init; } = [];

    /// <summary>Descriptors the child gets as 0, 1 and 2; null inherits the supervisor's own.</summary>
    public SafeFileHandle? StandardInput { get; init; }

    public SafeFileHandle? StandardOutput { get; init; }

    public SafeFileHandle? StandardError { get; init; }

    /// <summary>Start a new session with <see cref="StandardInput"/> (a PTY) as controlling terminal.</summary>
    public bool ControllingTerminal { get; init; }

    public bool Verbose { get; init; }
}
