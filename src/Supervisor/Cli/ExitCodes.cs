using Nono.Sandbox;

namespace Nono.Supervisor.Cli;

/// <summary>nono's own exit statuses; otherwise nono exits with its command's status.</summary>
internal static class ExitCodes
{
    /// <summary>Bad flags, contradictory policy, nonexistent paths: nothing was run.</summary>
    public const int Usage = LaunchExitStatus.Usage;

    /// <summary>nono failed in a way it has no specific message for (a bug): see stderr.</summary>
    public const int InternalError = 125;

    /// <summary>The sandbox could not be applied (kernel feature missing, setup step failed).</summary>
    public const int SandboxFailed = LaunchExitStatus.SetupFailed;

    /// <summary>The command was not found or could not be executed.</summary>
    public const int CannotExecute = LaunchExitStatus.CannotExecute;
}
