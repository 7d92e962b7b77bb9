namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Everything the spawn of stage 2 depends on, apart from the spec it reads: the command (unshare's
/// namespaces, the stage 2 program), whether it hands listeners over (fd 4) and holds a lifeline
/// (fd 5, with a PID namespace), and whether it leads a process group of its own. Two launches of
/// the same shape can use the same child, so a <see cref="Stage2Standby"/> is started with a
/// predicted shape and used only when the request's shape turns out the same.
/// </summary>
internal sealed record Stage2Shape(IReadOnlyList<string> Argv, bool HandOver, bool Lifeline, bool OwnProcessGroup)
{
    public const int SpecFd = Stage2Command.SpecDescriptor;
    public const int ChannelFd = 4;
    public const int LifelineFd = 5;

    /// <summary>The shape <paramref name="request"/> is launched with.</summary>
    public static Stage2Shape Of(SandboxLaunchRequest request)
    {
        var plan = request.Plan;
        return new Stage2Shape(
            Command(plan.UnshareCommand(), request.Stage2Program, request.Stage2Arguments),
            HandOver: plan.NetworkNamespace,
            Lifeline: plan.PidNamespace,
            OwnProcessGroup: request.ForegroundJob);
    }

    /// <summary>unshare's command line (empty without namespaces), then stage 2's.</summary>
    public static IReadOnlyList<string> Command(IReadOnlyList<string> unshare, string? stage2Program, IReadOnlyList<string> stage2Arguments)
    {
        var program = stage2Program ?? Environment.ProcessPath
            ?? throw new SandboxSetupException("find the nono executable", "the process path is unknown");
        return [.. unshare, program, .. stage2Arguments, .. Stage2Command.Arguments(SpecFd)];
    }

    public bool Equals(Stage2Shape? other) =>
        other is not null
        && Argv.SequenceEqual(other.Argv, StringComparer.Ordinal)
        && (HandOver, Lifeline, OwnProcessGroup) == (other.HandOver, other.Lifeline, other.OwnProcessGroup);

    public override int GetHashCode() => HashCode.Combine(Argv.Count, HandOver, Lifeline, OwnProcessGroup);
}

/// <summary>A spawned stage 2 (or the unshare in front of it) and the supervisor's ends of its descriptors.</summary>
internal sealed record Stage2Child(int Pid, Native.SafeFd? Channel, Native.SafeFd? Lifeline);

/// <summary>How a launch reports back from its spawn thread: started (pid and listeners) or failed, then the exit status.</summary>
internal sealed class ChildLaunch
{
    public TaskCompletionSource<(int Pid, Dictionary<ushort, System.Net.Sockets.Socket> Listeners)> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<int> Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
