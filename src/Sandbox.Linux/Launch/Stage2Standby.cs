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
    /// <summary>How long an abandoned standby has to end by itself (a runtime start, on a loaded machine).</summary>
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(2);

    private readonly Stage2Shape _shape;
    private readonly TaskCompletionSource<bool> _spawned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
    /// Starts a standby for a supervised session on <paramref name="host"/> whose network mode is
    /// expected to be <paramref name="mode"/> (with the network namespace the plan gives that mode);
    /// null when such sessions start no PID namespace here (user namespaces unavailable, or an
    /// unshare without --keep-caps).
    /// </summary>
    public static Stage2Standby? Start(LinuxHost host, NetworkMode mode, string? stage2Program = null, IReadOnlyList<string>? stage2Arguments = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var userns = host.UserNamespaces;
        if (!userns.Available || !userns.KeepCaps)
        {
            return null;
        }

        var networkNamespace = LinuxLaunchPlan.NetworkNamespaceFor(mode, host);
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

    /// <summary>unshare's exit status once an abandoned standby is gone: stage 2's 126 when the chain
    /// ended by itself on the closed spec pipe, 128 + 9 when it had to be killed.</summary>
    internal Task<int> Abandoned => _abandoned.Task;

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
            try
            {
                _abandoned.SetResult(Abandon(child));
            }
            catch (SandboxSetupException)
            {
                // Reaped by someone else (waitpid ECHILD): it is gone either way.
                _abandoned.SetResult(-1);
            }

            return;
        }

        var job = request.ForegroundJob ? ForegroundJob.Prepare() : null;
        job?.Started(child.Pid);
        Func<int, string>? failure = null;
        try
        {
            if (SpecChannel.WriteToPipe(specWriter.Fd, SandboxLauncher.SpecFor(request, _shape)) is var errno and not 0)
            {
                // EPIPE: nothing reads the pipe any more, so the child has exited (unshare said why).
                failure = errno == Errno.EPIPE
                    ? status => $"the sandboxed child exited with status {status} before it took its launch spec (its reason is on stderr)"
                    : status => $"the sandboxed child did not take its launch spec: {Errno.Describe(errno)} (exit status {status})";
            }
        }
        catch (Exception error)
        {
            Posix.Kill(child.Pid, 9);
            failure = _ => $"cannot send the launch spec: {error.Message}";
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

    /// <summary>The child ended (or was ended) before it had its spec: report its status as the launch's
    /// failure, in the words <paramref name="failure"/> gives that status.</summary>
    private static void Exit(Stage2Child child, ForegroundJob? job, ChildLaunch launch, Func<int, string> failure)
    {
        child.Channel?.Dispose();
        child.Lifeline?.Dispose();
        var status = SandboxLauncher.WaitForExit(child.Pid, job);
        launch.Started.SetException(new SandboxLaunchException(failure(status)) { ExitCode = status });
        launch.Exited.SetResult(status);
    }

    private static int Abandon(Stage2Child child)
    {
        // The spec pipe has closed with its writer: stage 2 reads its end, exits without a word,
        // and unshare, which waits for it, exits after it. So both are reaped where they belong,
        // and nothing is left for the session's subreaper to find and blame on the command. Only a
        // chain that does not end by itself is killed (--kill-child takes stage 2 with unshare).
        child.Channel?.Dispose();
        child.Lifeline?.Dispose();
        if (PosixSpawn.TryWait(child.Pid, AbandonGrace, out var status))
        {
            return status;
        }

        Posix.Kill(child.Pid, 9);
        return PosixSpawn.Wait(child.Pid);
    }
}
