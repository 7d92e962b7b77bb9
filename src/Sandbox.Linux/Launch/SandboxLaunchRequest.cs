namespace Nono.Sandbox.Linux.Launch;

/// <summary>What <see cref="SandboxLauncher.StartAsync"/> starts.</summary>
public sealed record SandboxLaunchRequest : LaunchRequest
{
    /// <summary>The plan from <see cref="LinuxLaunchPlan.Create"/>; in proxy mode its
    /// <see cref="LinuxLaunchPlan.HandedOverPorts"/> are the listeners the supervisor will receive.</summary>
    public required LinuxLaunchPlan Plan { get; init; }

    /// <summary>Run the child as a terminal job: in a process group of its own that holds the
    /// foreground of the terminal on the supervisor's stdin while nono does (see <see cref="Launch.ForegroundJob"/>).
    /// Exclusive with <see cref="LaunchRequest.ControllingTerminal"/>, whose child leads a session of its own.</summary>
    public bool ForegroundJob { get; init; }
}
