using System.Net.Sockets;
using Nono.Sandbox.Linux.Landlock;
using Nono.Sandbox.Linux.Native;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests;

/// <summary>
/// Landlock and seccomp apply to the calling thread only, so these tests confine a throwaway
/// thread of the test process and check what the kernel then refuses on it.
/// </summary>
public sealed class KernelEnforcementTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("nono-kernel-");

    private static T OnConfinedThread<T>(Action confine, Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                ProcessControl.SetNoNewPrivileges();
                confine();
                result = body();
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("confined thread failed", failure);
    }

    [Fact]
    public void Landlock_refuses_files_outside_the_rules_and_allows_those_inside()
    {
        var granted = Directory.CreateDirectory(Path.Join(_scratch.FullName, "granted")).FullName;
        var outside = Path.Join(_scratch.FullName, "outside.txt");
        File.WriteAllText(Path.Join(granted, "in.txt"), "inside");
        File.WriteAllText(outside, "outside");
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(granted, FsAccess.Read)], Network = NetworkPolicy.Host };
        var plan = LandlockPlan.Create(policy, LandlockSyscalls.QueryAbi(out _), networkNamespace: false, proxyFallback: false);

        var (inside, refused) = OnConfinedThread(
            () => LandlockEnforcer.Enforce(plan),
            () => (File.ReadAllText(Path.Join(granted, "in.txt")), Record.Exception(() => File.ReadAllText(outside))));

        Assert.Equal("inside", inside);
        Assert.IsType<UnauthorizedAccessException>(refused);
        Assert.Equal("outside", File.ReadAllText(outside));
    }

    [Fact]
    public void Landlock_rejects_a_grant_path_that_does_not_exist()
    {
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory("/nonexistent/nono", FsAccess.Read)], Network = NetworkPolicy.Host };
        var plan = LandlockPlan.Create(policy, LandlockSyscalls.QueryAbi(out _), false, false);
        var error = Assert.Throws<SandboxSetupException>(() => LandlockEnforcer.Build(plan).Dispose());
        Assert.Equal(Errno.ENOENT, error.Errno);
    }

    [Fact]
    public void Seccomp_blocked_mode_with_unix_sockets_allowed_refuses_inet_sockets_but_not_unix_sockets()
    {
        var table = SyscallTable.Current!;
        var (inet, unix) = OnConfinedThread(
            () => SeccompInstaller.Install(table, SeccompProgram.Build(table, SocketRule.UnixOnly, allowUnixSockets: true)),
            () =>
            {
                var inetError = Record.Exception(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp).Dispose());
                using var unixSocket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                return (inetError, unixSocket.AddressFamily);
            });

        Assert.Equal(SocketError.AccessDenied, Assert.IsType<SocketException>(inet).SocketErrorCode);
        Assert.Equal(AddressFamily.Unix, unix);
        using var afterwards = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    }

    [Fact]
    public void Seccomp_refuses_ptrace_with_EPERM()
    {
        var table = SyscallTable.Current!;
        var errno = OnConfinedThread(
            () => SeccompInstaller.Install(table, SeccompProgram.Build(table, SocketRule.UnixAndInet)),
            () => Libc.Syscall((nint)table["ptrace"], 16 /* PTRACE_ATTACH */, Environment.ProcessId, 0) < 0 ? Errno.Last : 0);
        Assert.Equal(Errno.EPERM, errno);
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
