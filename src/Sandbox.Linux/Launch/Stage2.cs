using System.Buffers.Binary;
using Nono.Interop;
using Nono.Sandbox.Linux.Landlock;
using Nono.Sandbox.Linux.Namespaces;
using Nono.Sandbox.Linux.Native;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>
/// The trampoline's work, in the order that keeps each step possible: namespace set-up and masks
/// while capabilities exist, then drop them, tie the child to its supervisor, forbid privilege
/// gain, confine with Landlock and seccomp on this very thread, and execve. Landlock and seccomp
/// apply to the calling thread only, and execve keeps exactly that thread, so nothing in between
/// may hop threads (this method is synchronous throughout).
/// </summary>
internal static unsafe class Stage2
{
    private const nuint TiocSctty = 0x540E;

    /// <summary>Applies the sandbox and executes the target; returns only by throwing. As the init
    /// of a PID namespace it spawns the target instead and returns the target's exit status.</summary>
    public static int Run(LinuxLaunchSpec spec)
    {
        var verbose = spec.Verbose;
        var policy = spec.Policy;
        policy.Validate();
        var table = SyscallTable.Current
            ?? throw new SandboxSetupException("seccomp", "this CPU architecture has no syscall table");

        if (spec.PidNamespace)
        {
            NamespaceInit.MountProc();
        }

        var abi = LandlockSyscalls.QueryAbi(out _);
        var landlock = LandlockPlan.Create(policy, abi, spec.NetworkNamespace, spec.ProxyFallback);
        var masks = PathMasks.Compute(policy);
        if (masks.Count > 0 && !spec.MountNamespace)
        {
            // A deny inside a grant is never dropped: without a mount namespace there is no way to honour it.
            throw new SandboxSetupException("mask denied paths", $"{masks[0].Path} needs a mount namespace, which this launch does not have");
        }

        if (spec.NetworkNamespace)
        {
            Loopback.BringUp();
            StageLog.Debug(verbose, "loopback interface is up");
            HandOverListeners(policy.Network, spec.ChannelFd, verbose);
        }

        PathMasks.Apply(masks);
        foreach (var mask in masks)
        {
            StageLog.Debug(verbose, $"masked {mask}");
        }

        if (policy.ReadOnly.Count > 0 && !spec.MountNamespace)
        {
            throw new SandboxSetupException("keep files read-only", $"{policy.ReadOnly[0].Path} needs a mount namespace, which this launch does not have");
        }

        ReadOnlyBinds.Apply(policy.ReadOnly);
        foreach (var entry in policy.ReadOnly)
        {
            StageLog.Debug(verbose, $"read-only: {entry}");
        }

        if (policy.SessionCopies.Count > 0 && !spec.MountNamespace)
        {
            throw new SandboxSetupException("bind session copies", $"{policy.SessionCopies[0].Path} needs a mount namespace, which this launch does not have");
        }

        SessionCopyBinds.Apply(policy.SessionCopies);
        foreach (var copy in policy.SessionCopies)
        {
            StageLog.Debug(verbose, $"session copy: {copy}");
        }

        if (spec.ControllingTerminal)
        {
            TakeControllingTerminal();
        }

        if (Posix.Chdir(spec.Target.WorkingDirectory) != 0)
        {
            throw new SandboxSetupException($"chdir '{spec.Target.WorkingDirectory}'", Errno.Last);
        }

        Capabilities.DropAll();
        if (spec.PidNamespace)
        {
            // The relay outside the namespace is the parent; the target needs no parent-death
            // signal of its own, since the whole namespace dies with this process.
            ProcessControl.DieWithParent(0);
        }
        else if (spec.ParentPid > 0)
        {
            ProcessControl.DieWithParent(spec.ParentPid);
        }

        ProcessControl.SetNoNewPrivileges();
        foreach (var note in landlock.Degraded)
        {
            StageLog.Debug(verbose, $"degraded: {note}");
        }

        LandlockEnforcer.Enforce(landlock);
        StageLog.Debug(verbose, $"landlock ABI {abi} enforced: {landlock.PathRules.Count} path rules, {landlock.PortRules.Count} port rules, scopes {landlock.Scoped}");

        // The socket rule and the host guards are the plan's (what --dry-run prints), carried in the
        // spec, never decided again here.
        var program = SeccompProgram.Build(table, spec.SocketRule, policy.AllowUnixSockets, spec.Guards);
        SeccompInstaller.Install(table, program);
        StageLog.Debug(verbose, $"seccomp filter installed ({program.Length} instructions, {table.Name}, sockets {spec.SocketRule}, guards: {spec.Guards})");

        Exec.CloseInheritedDescriptors();
        if (spec.PidNamespace)
        {
            return NamespaceInit.Run(spec);
        }

        Exec.Execve(spec.Target.Executable, spec.Target.Arguments, spec.Target.Environment);
        return LaunchExitStatus.SetupFailed;
    }

    /// <summary>Binds a listener for every proxy and connect port inside the new network namespace
    /// and sends them to the supervisor in one message whose payload lists the ports (u16, little-endian).</summary>
    private static void HandOverListeners(NetworkPolicy network, int channelFd, bool verbose)
    {
        var ports = network.ProxyPorts.Concat(network.ConnectPorts).Distinct().ToArray();
        if (channelFd < 0)
        {
            if (ports.Length > 0)
            {
                throw new SandboxSetupException("hand over listeners", "proxy ports were given but there is no channel to the supervisor");
            }

            return;
        }

        using var channel = new SafeFd(channelFd);
        var listeners = ports.Select(Loopback.Listen).ToArray();
        try
        {
            var payload = new byte[Math.Max(1, ports.Length * 2)];
            for (var i = 0; i < ports.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(i * 2), ports[i]);
            }

            FdPassing.Send(channel.Fd, payload, listeners.Select(listener => listener.Fd).ToArray());
            StageLog.Debug(verbose, $"handed listeners on 127.0.0.1:{string.Join(',', ports)} to the supervisor");
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static void TakeControllingTerminal()
    {
        if (Posix.SetSid() < 0)
        {
            throw new SandboxSetupException("setsid", Errno.Last);
        }

        if (Posix.Ioctl(0, TiocSctty, null) != 0)
        {
            throw new SandboxSetupException("ioctl(TIOCSCTTY) on stdin", Errno.Last);
        }
    }
}
