using System.Runtime.Versioning;
using Nono.Interop;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// Starts a child under Seatbelt for a supervisor that stays alive (`nono run`, `nono shell` on
/// macOS), in the shape of the Linux launcher: posix_spawn of <c>nono __sandbox-exec 3</c> with the
/// launch spec arriving on descriptor 3 (a pipe), a dedicated thread that owns the child from spawn
/// to waitpid, and a <see cref="SandboxedProcess"/> to signal and wait for.
/// </summary>
/// <remarks>
/// Parent death. macOS has no PR_SET_PDEATHSIG, and nothing set before execve can watch the
/// supervisor afterwards (a kqueue EVFILT_PROC/NOTE_EXIT watch belongs to the process that made it,
/// and that process image is gone once the target runs). What is done instead: stage 2 checks that
/// its parent is still the supervisor immediately before it applies the sandbox and executes, and
/// the supervisor kills the child on every exit path it controls (normal exit, errors, Ctrl-C,
/// SIGTERM, SIGHUP, through <see cref="SandboxedProcess.DisposeAsync"/>). The residual risk is a
/// supervisor killed with SIGKILL (or crashing hard): the child then keeps running, still confined
/// by its profile, reparented to launchd, with its proxy gone. Its profile still lets it connect to
/// the proxy's former port on loopback, so a process that later listens on that port could receive
/// its connections (without the session token that process learns nothing nono gave the child).
/// </remarks>
public static class SandboxLauncher
{
    private const int SpecFd = Nono.Sandbox.Stage2Command.SpecDescriptor;

    /// <summary>Variables a framework-dependent nono (the IL build published from Linux) needs to
    /// find its .NET runtime when it is not in the default location.</summary>
    private static readonly string[] RuntimeLocationVariables = ["DOTNET_ROOT", "DOTNET_ROOT_ARM64", "DOTNET_ROOT_X64"];

    /// <summary>Minimal environment of stage 2 itself (the target gets its own from the spec): a
    /// fixed PATH, and where the .NET runtime is when the caller says so.</summary>
    internal static string[] Stage2Environment(Func<string, string?> lookup) =>
    [
        "PATH=/usr/bin:/bin:/usr/sbin:/sbin",
        .. RuntimeLocationVariables
            .Select(name => (Name: name, Value: lookup(name)))
            .Where(variable => !string.IsNullOrEmpty(variable.Value))
            .Select(variable => $"{variable.Name}={variable.Value}"),
    ];

    /// <summary>
    /// Checks the policy (by generating its profile, so a contradiction is reported before anything
    /// starts), spawns stage 2 and sends it the spec. Throws <see cref="SandboxUnavailableException"/>
    /// off macOS, <see cref="PolicyException"/> for a policy no profile can express, and
    /// <see cref="SandboxLaunchException"/> when the child cannot be started or exits before it has
    /// taken its spec.
    /// </summary>
    public static async Task<SandboxedProcess> StartAsync(SandboxLaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!OperatingSystem.IsMacOS())
        {
            SeatbeltPlatform.ThrowUnsupported();
            return null!;
        }

        _ = SeatbeltSandbox.GenerateProfile(request.Policy, request.Context);
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            if (OperatingSystem.IsMacOS())
            {
                SpawnAndWait(request, started, exited);
            }
        })
        {
            IsBackground = true,
            Name = "nono sandbox child",
        };
        thread.Start();

        int pid;
        try
        {
            pid = await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The spawn thread still owns the child: kill it once its pid is known, and let the thread reap it.
            _ = started.Task.ContinueWith(
                task =>
                {
                    if (task.IsCompletedSuccessfully && OperatingSystem.IsMacOS())
                    {
                        Posix.Kill(task.Result, 9);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }

        return new SandboxedProcess(pid, exited.Task);
    }

    /// <summary>The spec stage 2 receives for <paramref name="request"/>.</summary>
    internal static MacOSLaunchSpec SpecFor(SandboxLaunchRequest request, int parentPid) => new()
    {
        Policy = request.Policy,
        Home = request.Context.Home,
        Target = request.Target,
        ParentPid = parentPid,
        ControllingTerminal = request.ControllingTerminal,
        Verbose = request.Verbose,
    };

    /// <summary>The trampoline's command line: the spec is never on it.</summary>
    internal static string[] Stage2Command(SandboxLaunchRequest request, string program) =>
        [program, .. request.Stage2Arguments, .. Nono.Sandbox.Stage2Command.Arguments(SpecFd)];

    /// <summary>The body of the dedicated spawn thread. Nothing may escape it: an exception on a
    /// thread of its own would end the supervisor, so every failure goes into the two tasks.</summary>
    [SupportedOSPlatform("macos")]
    private static void SpawnAndWait(SandboxLaunchRequest request, TaskCompletionSource<int> started, TaskCompletionSource<int> exited)
    {
        int pid;
        int specWriter;
        try
        {
            (pid, specWriter) = Spawn(request);
        }
        catch (Exception error)
        {
            started.SetException(new SandboxLaunchException($"cannot start the sandboxed child: {error.Message}", error));
            exited.SetResult(LaunchExitStatus.SetupFailed);
            return;
        }

        bool delivered;
        try
        {
            var payload = SpecFor(request, Environment.ProcessId).Encode();
            delivered = SpecPipe.WriteAll(specWriter, payload);
        }
        catch (Exception error)
        {
            Posix.Kill(pid, 9);
            started.SetException(new SandboxLaunchException($"cannot send the launch spec to the sandboxed child: {error.Message}", error));
            delivered = true;
        }
        finally
        {
            Posix.Close(specWriter);
        }

        if (!delivered)
        {
            var status = WaitOrSetupFailed(pid);
            started.SetException(new SandboxLaunchException(
                $"the sandboxed child exited with status {status} before it took its launch spec (its reason is on stderr)")
            { ExitCode = status });
            exited.SetResult(status);
            return;
        }

        started.TrySetResult(pid);
        try
        {
            exited.SetResult(PosixSpawner.Wait(pid));
        }
        catch (Exception error)
        {
            exited.TrySetException(new SandboxLaunchException($"cannot wait for the sandboxed child {pid}: {error.Message}", error));
        }
    }

    [SupportedOSPlatform("macos")]
    private static int WaitOrSetupFailed(int pid)
    {
        try
        {
            return PosixSpawner.Wait(pid);
        }
        catch (SandboxSetupException)
        {
            return LaunchExitStatus.SetupFailed;
        }
    }

    /// <summary>Spawns stage 2 with the spec pipe's read end on descriptor 3 and returns the pid and
    /// the pipe's write end.</summary>
    [SupportedOSPlatform("macos")]
    private static (int Pid, int SpecWriter) Spawn(SandboxLaunchRequest request)
    {
        var program = request.Stage2Program ?? Environment.ProcessPath
            ?? throw new SandboxSetupException("find the nono executable", "the process path is unknown");
        var mapping = new List<(int Source, int Target)>();
        var inherit = new List<int>();
        AddStandard(request.StandardInput, 0, mapping, inherit);
        AddStandard(request.StandardOutput, 1, mapping, inherit);
        AddStandard(request.StandardError, 2, mapping, inherit);

        var (reader, writer) = SpecPipe.Create();
        try
        {
            mapping.Add((reader, SpecFd));
            var argv = Stage2Command(request, program);
            var spawn = new SpawnRequest
            {
                Executable = argv[0],
                Arguments = argv,
                Environment = Stage2Environment(Environment.GetEnvironmentVariable),
                Mapping = mapping,
                Inherit = inherit,
                CloseUnnamedDescriptors = true,
            };
            var failed = PosixSpawner.TrySpawn(spawn, out var pid);
            return failed == 0 ? (pid, writer) : throw new SandboxSetupException($"posix_spawn '{argv[0]}'", failed);
        }
        catch
        {
            Posix.Close(writer);
            throw;
        }
        finally
        {
            Posix.Close(reader);
        }
    }

    private static void AddStandard(Microsoft.Win32.SafeHandles.SafeFileHandle? handle, int target, List<(int, int)> mapping, List<int> inherit)
    {
        if (handle is null)
        {
            inherit.Add(target);
            return;
        }

        mapping.Add(((int)handle.DangerousGetHandle(), target));
    }
}
