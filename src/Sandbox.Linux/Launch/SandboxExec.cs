using System.Text.Json;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// The two ways a process turns itself into the sandboxed target: <see cref="ExecInPlace"/> for
/// `nono wrap` (nothing stays behind), and <see cref="RunStage2"/> for the hidden
/// `nono __sandbox-exec &lt;fd&gt;` command that unshare(1) or the supervisor starts.
/// Both return only when something failed: 126 when the sandbox could not be applied,
/// 127 when the target could not be executed; the reason is already on stderr.
/// </summary>
public static unsafe class SandboxExec
{
    /// <summary>The hidden command name the trampoline answers to.</summary>
    public const string CommandName = Stage2Command.Name;

    /// <summary>Minimal environment of unshare and stage 2 themselves; the target gets its own from the spec.</summary>
    internal static readonly string[] ChainEnvironment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    /// <summary>
    /// Applies <paramref name="plan"/> and executes <paramref name="target"/> in place of this
    /// process. When the plan needs namespaces, this process executes unshare(1), which executes
    /// <paramref name="stage2Program"/> `__sandbox-exec`: the pid stays the same throughout.
    /// </summary>
    public static int ExecInPlace(LinuxLaunchPlan plan, LaunchTarget target, bool verbose, string? stage2Program = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(target);
        var spec = SpecFor(plan, target, verbose);
        return Guard(() =>
        {
            if (!plan.UseNamespaces)
            {
                return Stage2.Run(spec);
            }

            var fd = SpecChannel.Write(spec, inheritable: true);
            var program = stage2Program ?? Environment.ProcessPath
                ?? throw new SandboxSetupException("find the nono executable", "the process path is unknown");
            var argv = plan.UnshareCommand().Append(program).Concat(Stage2Command.Arguments(fd)).ToArray();
            StageLog.Debug(verbose, $"exec {string.Join(' ', argv)}");
            Exec.Execve(argv[0], argv, ChainEnvironment);
            return LaunchExitStatus.SetupFailed;
        });
    }

    /// <summary>Stage 2: reads the launch spec from inherited descriptor <paramref name="descriptor"/>
    /// (a decimal number), then applies the sandbox and executes the target.</summary>
    public static int RunStage2(string descriptor)
    {
        if (!LaunchExitStatus.TryParseDescriptor(descriptor, out var fd))
        {
            StageLog.Error($"{CommandName} expects an inherited descriptor number, got '{descriptor}'");
            return LaunchExitStatus.SetupFailed;
        }

        // No spec at all: a standby the supervisor did not use (it failed before launching, or
        // launched with another shape). There is nothing to report and nothing to run.
        return Guard(() => SpecChannel.Read(fd) is { } spec ? Stage2.Run(spec) : LaunchExitStatus.SetupFailed);
    }

    internal static LinuxLaunchSpec SpecFor(LinuxLaunchPlan plan, LaunchTarget target, bool verbose, int channelFd = -1, int parentPid = 0, bool controllingTerminal = false, int lifelineFd = -1) => new()
    {
        Policy = plan.Policy,
        Target = target,
        NetworkNamespace = plan.NetworkNamespace,
        MountNamespace = plan.MountNamespace,
        IpcNamespace = plan.IpcNamespace,
        PidNamespace = plan.PidNamespace,
        ProxyFallback = plan.ProxyFallback,
        SocketRule = plan.SocketRule,
        Guards = plan.Guards(controllingTerminal),
        ChannelFd = channelFd,
        LifelineFd = lifelineFd,
        ParentPid = parentPid,
        ControllingTerminal = controllingTerminal,
        Verbose = verbose,
    };

    private static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (TargetExecException error)
        {
            StageLog.Error(error.Explanation);
            return error.ExitStatus;
        }
        catch (Exception error) when (error is NonoException or JsonException or IOException)
        {
            // Inside stage 2 every failure, a policy's included, means the sandbox was not set up.
            StageLog.Error($"sandbox setup failed: {(error is SandboxSetupException setup ? setup.Message : error.Message)}");
            return LaunchExitStatus.SetupFailed;
        }
    }
}
