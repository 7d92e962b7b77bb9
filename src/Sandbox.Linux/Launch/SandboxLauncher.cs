using System.Buffers.Binary;
using System.Net.Sockets;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Starts a sandboxed child for a supervisor that stays alive (`nono run`, `nono shell`):
/// <c>unshare … -- nono __sandbox-exec 3</c> (or stage 2 directly when no namespace is needed),
/// with the launch spec on the child's fd 3 and, when listeners are handed over, one end of a
/// socketpair on fd 4. A <see cref="Stage2Standby"/> started earlier with the same spawn takes the
/// request instead of a new child.
/// </summary>
/// <remarks>
/// PR_SET_PDEATHSIG fires when the <em>thread</em> that forked the child exits, so every child is
/// spawned from its own dedicated thread, which then blocks in waitpid for exactly the child's
/// lifetime: the child dies with the supervisor, never with a recycled pool thread.
/// </remarks>
/// <example>
/// Proxy mode, as `nono run` uses it:
/// <code>
/// var policy = new SandboxPolicy { Grants = [.. LinuxSystemPolicy.BaseGrants(sessionTmp), .. userGrants],
///                                  Denies = denies, Network = NetworkPolicy.ViaProxy(proxyPort) };
/// var plan = LinuxLaunchPlan.Create(policy);          // throws PolicyException / SandboxUnavailableException
/// foreach (var warning in plan.Warnings) Console.Error.WriteLine(warning);
/// if (plan.ProxyFallback) { /* no namespace: listen on 127.0.0.1:proxyPort yourself, before starting */ }
/// await using var child = await SandboxLauncher.StartAsync(new SandboxLaunchRequest
/// {
///     Plan = plan,
///     Target = new LaunchTarget("/usr/bin/python3", ["python3", "agent.py"], childEnv, workDir),
/// }, ct);
/// proxy.Serve(child.Listeners[proxyPort]);            // the child's only way out
/// var status = await child.WaitForExitAsync(ct);      // exit code, or 128 + signal
/// </code>
/// </example>
public static class SandboxLauncher
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    /// <summary>
    /// Spawns the child and, when the plan has a network namespace, waits until stage 2 has handed
    /// over a listening socket for every port in <see cref="LinuxLaunchPlan.HandedOverPorts"/>.
    /// Throws <see cref="SandboxLaunchException"/> when the child exits before that.
    /// </summary>
    public static Task<SandboxedProcess> StartAsync(SandboxLaunchRequest request, CancellationToken cancellationToken = default) =>
        StartAsync(request, standby: null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(SandboxLaunchRequest, CancellationToken)"/>, through
    /// <paramref name="standby"/> when it was started with the spawn this request needs; otherwise
    /// the standby is abandoned and a child is spawned for the request.
    /// </summary>
    public static async Task<SandboxedProcess> StartAsync(SandboxLaunchRequest request, Stage2Standby? standby, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ForegroundJob && request.ControllingTerminal)
        {
            // A process-group leader cannot setsid(), and a child with a terminal of its own needs no job control.
            throw new ArgumentException("a foreground job cannot also take a controlling terminal of its own", nameof(request));
        }

        var launch = standby is null ? null : await standby.TryTakeAsync(request).ConfigureAwait(false);
        if (launch is null)
        {
            standby?.Dispose();
            launch = new ChildLaunch();
            var thread = new Thread(() => SpawnAndWait(request, launch))
            {
                IsBackground = true,
                Name = "nono sandbox child",
            };
            thread.Start();
        }

        (int Pid, Dictionary<ushort, Socket> Listeners) result;
        try
        {
            result = await launch.Started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The spawn thread still owns the child: kill it once its pid is known, and let the thread reap it.
            _ = launch.Started.Task.ContinueWith(
                task =>
                {
                    if (task.IsCompletedSuccessfully)
                    {
                        Posix.Kill(task.Result.Pid, 9);
                        foreach (var socket in task.Result.Listeners.Values)
                        {
                            socket.Dispose();
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }

        return new SandboxedProcess(result.Pid, result.Listeners, launch.Exited.Task, request.Plan.PidNamespace);
    }

    /// <summary>The body of the dedicated spawn thread. Nothing may escape it: an exception on a
    /// thread of its own would end the supervisor, so every failure goes into the two tasks.</summary>
    private static void SpawnAndWait(SandboxLaunchRequest request, ChildLaunch launch)
    {
        Stage2Child child;
        var job = request.ForegroundJob ? ForegroundJob.Prepare() : null;
        try
        {
            var shape = Stage2Shape.Of(request);
            using var spec = new SafeFd(SpecChannel.Write(SpecFor(request, shape), inheritable: false));
            child = Spawn(shape, request, spec);
            job?.Started(child.Pid);
        }
        catch (Exception error)
        {
            launch.Started.SetException(new SandboxLaunchException($"cannot start the sandboxed child: {error.Message}", error));
            launch.Exited.SetResult(LaunchExitStatus.SetupFailed);
            return;
        }

        Supervise(child, request, job, launch);
    }

    /// <summary>The launch spec for <paramref name="request"/> as a child of <paramref name="shape"/> reads it.</summary>
    internal static LinuxLaunchSpec SpecFor(SandboxLaunchRequest request, Stage2Shape shape) => SandboxExec.SpecFor(
        request.Plan,
        request.Target,
        request.Verbose,
        shape.HandOver ? Stage2Shape.ChannelFd : -1,
        Environment.ProcessId,
        request.ControllingTerminal,
        shape.Lifeline ? Stage2Shape.LifelineFd : -1);

    /// <summary>
    /// The spawned child's part after its spec is on the way: receive its listeners, report it
    /// started, and wait for it on this thread (which holds the lifeline for exactly its life).
    /// </summary>
    internal static void Supervise(Stage2Child child, SandboxLaunchRequest request, ForegroundJob? job, ChildLaunch launch)
    {
        try
        {
            var listeners = child.Channel is null ? [] : ReceiveListeners(child.Channel, request.Plan.HandedOverPorts);
            if (listeners is null)
            {
                child.Lifeline?.Dispose();
                var status = WaitForExit(child.Pid, job);
                launch.Started.SetException(new SandboxLaunchException(
                    $"the sandboxed child exited with status {status} before it handed over its listeners (its reason is on stderr)")
                { ExitCode = status });
                launch.Exited.SetResult(status);
                return;
            }

            launch.Started.SetResult((child.Pid, listeners));
        }
        catch (Exception error)
        {
            Posix.Kill(child.Pid, 9);
            launch.Started.TrySetException(new SandboxLaunchException($"cannot receive the sandbox's listeners: {error.Message}", error));
        }
        finally
        {
            child.Channel?.Dispose();
        }

        try
        {
            launch.Exited.SetResult(WaitForExit(child.Pid, job));
        }
        catch (Exception error)
        {
            launch.Exited.TrySetException(new SandboxLaunchException($"cannot wait for the sandboxed child {child.Pid}: {error.Message}", error));
        }
        finally
        {
            // Held for exactly the child's life; were the supervisor to die instead, the kernel would close it.
            child.Lifeline?.Dispose();
        }
    }

    internal static int WaitForExit(int pid, ForegroundJob? job)
    {
        try
        {
            return PosixSpawn.Wait(pid, job is { HoldsTerminal: true } ? () => job.ChildStopped(pid) : null);
        }
        finally
        {
            job?.Exited(pid);
        }
    }

    /// <summary>Spawns <paramref name="shape"/>'s command with <paramref name="stdio"/>'s standard
    /// descriptors (null ones inherited) and <paramref name="spec"/> as descriptor 3.</summary>
    internal static Stage2Child Spawn(Stage2Shape shape, LaunchRequest? stdio, SafeFd spec)
    {
        var owned = new List<SafeFd>();
        SafeFd? channel = null;
        SafeFd? lifeline = null;
        try
        {
            var mapping = new List<(int Source, int Target)>();
            AddStandard(stdio?.StandardInput, 0, mapping, owned);
            AddStandard(stdio?.StandardOutput, 1, mapping, owned);
            AddStandard(stdio?.StandardError, 2, mapping, owned);
            if (shape.HandOver)
            {
                var (mine, theirs) = SocketPair();
                channel = mine;
                owned.Add(theirs);
                Map(theirs, Stage2Shape.ChannelFd, mapping, owned);
            }

            if (shape.Lifeline)
            {
                var (read, write) = Pipe();
                lifeline = write;
                owned.Add(read);
                Map(read, Stage2Shape.LifelineFd, mapping, owned);
            }

            Map(spec, Stage2Shape.SpecFd, mapping, owned);
            var pid = PosixSpawn.Spawn(shape.Argv, SandboxExec.ChainEnvironment, mapping, ownProcessGroup: shape.OwnProcessGroup, blockRelayedSignals: shape.Lifeline);
            return new Stage2Child(pid, channel, lifeline);
        }
        catch
        {
            channel?.Dispose();
            lifeline?.Dispose();
            throw;
        }
        finally
        {
            foreach (var fd in owned)
            {
                fd.Dispose();
            }
        }
    }

    private static void Map(SafeFd source, int target, List<(int, int)> mapping, List<SafeFd> owned)
    {
        var high = PosixSpawn.DuplicateHigh(source.Fd);
        owned.Add(high);
        mapping.Add((high.Fd, target));
    }

    private static void AddStandard(Microsoft.Win32.SafeHandles.SafeFileHandle? handle, int target, List<(int, int)> mapping, List<SafeFd> owned)
    {
        if (handle is null)
        {
            return;
        }

        var high = PosixSpawn.DuplicateHigh((int)handle.DangerousGetHandle());
        owned.Add(high);
        mapping.Add((high.Fd, target));
    }

    private static unsafe (SafeFd Mine, SafeFd Theirs) SocketPair()
    {
        var fds = stackalloc int[2];
        if (Libc.SocketPair(AfUnix, SockStream | SockCloexec, 0, fds) != 0)
        {
            throw new SandboxSetupException("socketpair for the listener hand-over", Errno.Last);
        }

        return (new SafeFd(fds[0]), new SafeFd(fds[1]));
    }

    /// <summary>A close-on-exec pipe: read end, write end.</summary>
    internal static unsafe (SafeFd Read, SafeFd Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, OpenFlags.CloseOnExec) != 0)
        {
            throw new SandboxSetupException("pipe for the sandboxed child", Errno.Last);
        }

        return (new SafeFd(fds[0]), new SafeFd(fds[1]));
    }

    /// <summary>Receives the listeners, or null when the child closed the channel first (it failed).</summary>
    private static Dictionary<ushort, Socket>? ReceiveListeners(SafeFd channel, IReadOnlyList<ushort> expected)
    {
        var payload = new byte[Math.Max(2, expected.Count * 2)];
        var fds = new List<int>();
        var length = FdPassing.Receive(channel.Fd, payload, fds, Math.Max(1, expected.Count));
        var sockets = fds.Select(fd => new Socket(new SafeSocketHandle(fd, ownsHandle: true))).ToList();
        if (length == 0)
        {
            sockets.ForEach(socket => socket.Dispose());
            return null;
        }

        var ports = new List<ushort>();
        for (var offset = 0; offset + 1 < length; offset += 2)
        {
            ports.Add(BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(offset)));
        }

        if (ports.Count != sockets.Count || !ports.Order().SequenceEqual(expected.Order()))
        {
            sockets.ForEach(socket => socket.Dispose());
            throw new SandboxSetupException("receive listeners", $"expected ports {string.Join(',', expected)}, got {string.Join(',', ports)}");
        }

        return ports.Zip(sockets).ToDictionary(pair => pair.First, pair => pair.Second);
    }
}
