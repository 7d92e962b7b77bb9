namespace Nono.Sandbox.MacOS.Launch;

/// <summary>What <see cref="SandboxLauncher.StartAsync"/> starts: the macOS counterpart of the
/// Linux launcher's request, with the policy in place of a Linux launch plan.</summary>
public sealed record SandboxLaunchRequest : LaunchRequest
{
    /// <summary>The complete policy (system grants included); stage 2 turns it into the profile.</summary>
    public required SandboxPolicy Policy { get; init; }

    /// <summary>The home directory whose credentials the profile protects (and, in the supervisor,
    /// the link resolver used to check the policy before anything starts).</summary>
    public required SeatbeltContext Context { get; init; }
}
