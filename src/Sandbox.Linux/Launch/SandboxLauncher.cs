using System.Buffers.Binary;
using System.Net.Sockets;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// Starts a sandboxed child for a supervisor that stays alive (`nono run`, `nono shell`):
/// <c>unshare … -- nono __sandbox-exec 3</c> (or stage 2 directly when no namespace is needed),
/// with the launch spec on the child's fd 3 and, when listeners are handed over, one end of a
/// socketpair on fd 4.
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
    private const int SpecFd = Stage2Command.SpecDescriptor;
    private const int ChannelFd = 4;
    private const int LifelineFd = 5;
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    /// <summary>
    /// Spawns the child and, when the plan has a network namespace, waits until stage 2 has handed
    /// over a listening socket for every port in <see cref="LinuxLaunchPlan.HandedOverPorts"/>.
    /// Throws <see cref="SandboxLaunchException"/> when the child exits before that.
    /// </summary>
    public static async Task<SandboxedProcess> StartAsync(SandboxLaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ForegroundJob && request.ControllingTerminal)
        {
            // A process-group leader cannot setsid(), and a child with a terminal of its own needs no job control.
            throw new ArgumentException("a foreground job cannot also take a controlling terminal of its own", nameof(request));
        }

        var started = new TaskCompletionSource<(int Pid, Dictionary<ushort, Socket> Listeners)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => SpawnAndWait(request, started, exited))
        {
            IsBackground = true,
            Name = "nono sandbox child",
        };
        thread.Start();

        (int Pid, Dictionary<ushort, Socket> Listeners) result;
        try
        {
            result = await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The spawn thread still owns the child: kill it once its pid is known, and let the thread reap it.
            _ = started.Task.ContinueWith(
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

        return new SandboxedProcess(result.Pid, result.Listeners, exited.Task, request.Plan.PidNamespace);
    }

    /// <summary>The body of the dedicated spawn thread. Nothing may escape it: an exception on a
    /// thread of its own would end the supervisor, so every failure goes into the two tasks.</summary>
    private static void SpawnAndWait(
        SandboxLaunchRequest request,
        TaskCompletionSource<(int Pid, Dictionary<ushort, Socket> Listeners)> started,
        TaskCompletionSource<int> exited)
    {
        int pid;
        SafeFd? ours = null;
        SafeFd? lifeline = null;
        var job = request.ForegroundJob ? ForegroundJob.Prepare() : null;
        try
        {
            pid = Spawn(request, out ours, out lifeline);
            job?.Started(pid);
        }
        catch (Exception error)
        {
            started.SetException(new SandboxLaunchException($"cannot start the sandboxed child: {error.Message}", error));
            exited.SetResult(LaunchExitStatus.SetupFailed);
            return;
        }

        try
        {
            var listeners = ours is null ? [] : ReceiveListeners(ours, request.Plan.HandedOverPorts);
            if (listeners is null)
            {
                lifeline?.Dispose();
                var status = WaitForExit(pid, job);
                started.SetException(new SandboxLaunchException(
                    $"the sandboxed child exited with status {status} before it handed over its listeners (its reason is on stderr)")
                { ExitCode = status });
                exited.SetResult(status);
                return;
            }

            started.SetResult((pid, listeners));
        }
        catch (Exception error)
        {
            Posix.Kill(pid, 9);
            started.TrySetException(new SandboxLaunchException($"cannot receive the sandbox's listeners: {error.Message}", error));
        }
        finally
        {
            ours?.Dispose();
        }

        try
        {
            exited.SetResult(WaitForExit(pid, job));
        }
        catch (Exception error)
        {
            exited.TrySetException(new SandboxLaunchException($"cannot wait for the sandboxed child {pid}: {error.Message}", error));
        }
        finally
        {
            // Held for exactly the child's life; were the supervisor to die instead, the kernel would close it.
            lifeline?.Dispose();
        }
    }

    private static int WaitForExit(int pid, ForegroundJob? job)
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

    private static int Spawn(SandboxLaunchRequest request, out SafeFd? supervisorEnd, out SafeFd? lifeline)
    {
        var plan = request.Plan;
        var program = request.Stage2Program ?? Environment.ProcessPath
            ?? throw new SandboxSetupException("find the nono executable", "the process path is unknown");
        var handOver = plan.NetworkNamespace;
        var owned = new List<SafeFd>();
        supervisorEnd = null;
        lifeline = null;
        try
        {
            var mapping = new List<(int Source, int Target)>();
            AddStandard(request.StandardInput, 0, mapping, owned);
            AddStandard(request.StandardOutput, 1, mapping, owned);
            AddStandard(request.StandardError, 2, mapping, owned);

            int childChannel = -1;
            if (handOver)
            {
                var (mine, theirs) = SocketPair();
                supervisorEnd = mine;
                owned.Add(theirs);
                var high = PosixSpawn.DuplicateHigh(theirs.Fd);
                owned.Add(high);
                mapping.Add((high.Fd, ChannelFd));
                childChannel = ChannelFd;
            }

            int childLifeline = -1;
            if (plan.PidNamespace)
            {
                var (read, write) = Pipe();
                lifeline = write;
                owned.Add(read);
                var high = PosixSpawn.DuplicateHigh(read.Fd);
                owned.Add(high);
                mapping.Add((high.Fd, LifelineFd));
                childLifeline = LifelineFd;
            }

            var spec = SandboxExec.SpecFor(plan, request.Target, request.Verbose, childChannel, Environment.ProcessId, request.ControllingTerminal, childLifeline);
            var specFd = new SafeFd(SpecChannel.Write(spec, inheritable: false));
            owned.Add(specFd);
            var specHigh = PosixSpawn.DuplicateHigh(specFd.Fd);
            owned.Add(specHigh);
            mapping.Add((specHigh.Fd, SpecFd));

            var argv = plan.UnshareCommand()
                .Concat([program, .. request.Stage2Arguments, .. Stage2Command.Arguments(SpecFd)])
                .ToArray();
            return PosixSpawn.Spawn(argv, SandboxExec.ChainEnvironment, mapping, ownProcessGroup: request.ForegroundJob, blockRelayedSignals: plan.PidNamespace);
        }
        catch
        {
            supervisorEnd?.Dispose();
            supervisorEnd = null;
            lifeline?.Dispose();
            lifeline = null;
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

    private static unsafe (SafeFd Read, SafeFd Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Libc.Pipe2(fds, OpenFlags.CloseOnExec) != 0)
        {
            throw new SandboxSetupException("pipe for the supervisor lifeline", Errno.Last);
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
