namespace Nono.Sandbox;

/// <summary>
/// What stage 2 needs on every platform, handed over on an inherited descriptor in a binary form
/// (<see cref="LaunchSpecWire"/>; a memfd on Linux, a pipe on macOS), never on a command line:
/// the policy, the target, and how to attach the child to the supervisor. Each platform's spec
/// adds only what its stage 2 alone needs (namespaces and seccomp on Linux, the home directory
/// the Seatbelt profile protects on macOS).
/// </summary>
public abstract record LaunchSpec
{
    public required SandboxPolicy Policy { get; init; }

    public required LaunchTarget Target { get; init; }

    /// <summary>The supervisor's pid: stage 2 refuses to go on when it is no longer its parent (and
    /// on Linux sets PR_SET_PDEATHSIG). 0: no check.</summary>
    public int ParentPid { get; init; }

    /// <summary>Start a new session and make stdin (a PTY from the supervisor) the controlling terminal.</summary>
    public bool ControllingTerminal { get; init; }

    public bool Verbose { get; init; }
}
