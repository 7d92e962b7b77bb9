using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Stage 2 started before its launch spec exists, so that its start (unshare, then a second start
/// of the nono runtime: most of a supervised launch) runs on another core while the supervisor
/// resolves the profile, starts the proxy and plans the sandbox. It waits on an empty pipe at
/// descriptor 3, with the supervisor's standard descriptors and the fixed chain environment, and
/// holds nothing: no secret, no grant, no listener. <see cref="SandboxLauncher.StartAsync(SandboxLaunchRequest, Stage2Standby?, CancellationToken)"/>
/// hands it the request only when the request's spawn is the one predicted here; otherwise, or on
/// <see cref="Dispose"/>, it is abandoned: it sees the pipe end without a spec, exits without a
/// word, and is killed and reaped.
/// </summary>
/// <remarks>
/// The prediction is the common supervised session: user, mount, IPC and PID namespaces (a
/// network namespace too in proxy mode), the supervisor's own stdio, the child a foreground job.
/// As for every child, the thread that spawns it waits for it for exactly its life (see
/// <see cref="SandboxLauncher"/>): PR_SET_PDEATHSIG follows the spawning thread.
/// </remarks>
public sealed class Stage2Standby : IDisposable
{
    private readonly Stage2Shape _shape;
    private readonly TaskCompletionSource<bool> _spawned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(SandboxLaunchRequest Request, ChildLaunch Launch)?> _handOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Stage2Standby(Stage2Shape shape)
    {
        _shape = shape;
        var thread = new Thread(SpawnAndWait)
        {
            IsBackground = true,
            Name = "nono sandbox child",
        };
        thread.Start();
    }

    /// <summary>
    /// Starts a standby for a supervised session on <paramref name="host"/>, with a network namespace
    /// when <paramref name="networkNamespace"/> (proxy mode); null when such sessions start no PID
    /// namespace here (user namespaces unavailable, or an unshare without --keep-caps).
    /// </summary>
    public static Stage2Standby? Start(LinuxHost host, bool networkNamespace, string? stage2Program = null, IReadOnlyList<string>? stage2Arguments = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var userns = host.UserNamespaces;
        if (!userns.Available || !userns.KeepCaps)
        {
            return null;
        }

        var unshare = LinuxLaunchPlan.UnshareCommandFor(userns, networkNamespace, mount: true, pid: true);
        return new Stage2Standby(new Stage2Shape(
            Stage2Shape.Command(unshare, stage2Program, stage2Arguments ?? []),
            HandOver: networkNamespace,
            Lifeline: true,
            OwnProcessGroup: true));
    }

    /// <summary>The command the standby runs (unshare's options, then stage 2's).</summary>
    public IReadOnlyList<string> Command => _shape.Argv;

    /// <summary>Whether the standby child was spawned (false: it could not start and will not be used).</summary>
    internal Task<bool> Spawned => _spawned.Task;

    /// <summary>The standby's pid (unshare's with namespaces) once <see cref="Spawned"/> is true.</summary>
    internal int Pid { get; private set; }

    /// <summary>Abandons the standby unless a request was handed to it.</summary>
    public void Dispose() => _handOver.TrySetResult(null);

    /// <summary>Hands <paramref name="request"/> to the standby when the request is launched with
    /// the spawn it was started with; null (the standby untouched) otherwise or when it failed to start.</summary>
    internal async Task<ChildLaunch?> TryTakeAsync(SandboxLaunchRequest request)
    {
        if (request.StandardInput is not null || request.StandardOutput is not null || request.StandardError is not null
            || request.ControllingTerminal || !_shape.Equals(Stage2Shape.Of(request)))
        {
            return null;
        }

        if (!await _spawned.Task.ConfigureAwait(false))
        {
            return null;
        }

        var launch = new ChildLaunch();
        return _handOver.TrySetResult((request, launch)) ? launch : null;
    }

    private void SpawnAndWait()
    {
        // Nothing may escape this thread (it would end the supervisor): a standby that cannot
        // start is only not used, and the launch spawns its own child and reports its own failure.
        Stage2Child child;
        SafeFd specWriter;
        try
        {
            var (reader, writer) = SandboxLauncher.Pipe();
            try
            {
                child = SandboxLauncher.Spawn(_shape, stdio: null, reader);
            }
            catch
            {
                writer.Dispose();
                throw;
            }
            finally
            {
                reader.Dispose();
            }

            specWriter = writer;
        }
        catch (Exception)
        {
            _spawned.SetResult(false);
            return;
        }

        Pid = child.Pid;
        _spawned.SetResult(true);
        if (_handOver.Task.GetAwaiter().GetResult() is not var (request, launch))
        {
            specWriter.Dispose();
            Abandon(child);
            return;
        }

        var job = request.ForegroundJob ? ForegroundJob.Prepare() : null;
        job?.Started(child.Pid);
        string? failure = null;
        try
        {
            if (SpecChannel.WriteToPipe(specWriter.Fd, SandboxLauncher.SpecFor(request, _shape)) is var errno and not 0)
            {
                failure = $"the sandboxed child did not take its launch spec: {Errno.Describe(errno)}";
            }
        }
        catch (Exception error)
        {
            Posix.Kill(child.Pid, 9);
            failure = $"cannot send the launch spec: {error.Message}";
        }
        finally
        {
            // The end of the pipe is the end of the spec.
            specWriter.Dispose();
        }

        if (failure is not null)
        {
            Exit(child, job, launch, failure);
            return;
        }

        SandboxLauncher.Supervise(child, request, job, launch);
    }

    /// <summary>The child ended (or was ended) before it had its spec: report its status as the launch's failure.</summary>
    private static void Exit(Stage2Child child, ForegroundJob? job, ChildLaunch launch, string failure)
    {
        child.Channel?.Dispose();
        child.Lifeline?.Dispose();
        var status = SandboxLauncher.WaitForExit(child.Pid, job);
        launch.Started.SetException(new SandboxLaunchException(failure) { ExitCode = status });
        launch.Exited.SetResult(status);
    }

    private static void Abandon(Stage2Child child)
    {
        // Its spec pipe closes with the writer; unshare's death takes stage 2 with it (--kill-child).
        child.Channel?.Dispose();
        child.Lifeline?.Dispose();
        Posix.Kill(child.Pid, 9);
        PosixSpawn.Wait(child.Pid);
    }
}
