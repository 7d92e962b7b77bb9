using Microsoft.Win32.SafeHandles;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>What <see cref="SandboxLauncher.StartAsync"/> starts.</summary>
public sealed record SandboxLaunchRequest
{
    /// <summary>The plan from <see cref="LinuxLaunchPlan.Create"/>; in proxy mode its
    /// <see cref="LinuxLaunchPlan.HandedOverPorts"/> are the listeners the supervisor will receive.</summary>
    public required LinuxLaunchPlan Plan { get; init; }

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

    /// <summary>Run the child as a terminal job: in a process group of its own that holds the
    /// foreground of the terminal on the supervisor's stdin while nono does (see <see cref="Launch.ForegroundJob"/>).
    /// Exclusive with <see cref="ControllingTerminal"/>, whose child leads a session of its own.</summary>
    public bool ForegroundJob { get; init; }

    public bool Verbose { get; init; }
}
