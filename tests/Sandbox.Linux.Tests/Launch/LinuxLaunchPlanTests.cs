using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Namespaces;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Launch;

public sealed class LinuxLaunchPlanTests : IDisposable
{
    private static readonly UserNamespaces WithUserns = UserNamespaces.Fixed(null, "/usr/bin/unshare", keepCaps: true);
    private static readonly UserNamespaces WithoutUserns = UserNamespaces.Fixed("disabled for the test", "/usr/bin/unshare", keepCaps: true);
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("nono-plan-");

    private static LinuxHost Host(UserNamespaces userns, int abi = 7) => new(abi, userns, "x86_64");

    private SandboxPolicy HomePolicy(NetworkPolicy? network = null) => new()
    {
        Grants = [FsGrant.Directory(_home.FullName, FsAccess.Read)],
        Denies = [Path.Join(_home.FullName, ".ssh")],
        Network = network ?? NetworkPolicy.Blocked,
    };

    [Fact]
    public void An_older_kernels_weaknesses_are_warnings_and_require_isolation_refuses_them()
    {
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory("/usr", FsAccess.ReadExecute)] };

        var plan = LinuxLaunchPlan.Create(policy, Host(WithUserns, abi: 2));
        var refused = Assert.Throws<SandboxUnavailableException>(() => LinuxLaunchPlan.Create(policy with { RequireIsolation = true }, Host(WithUserns, abi: 2)));

        Assert.Contains(plan.Warnings, warning => warning.StartsWith("WARNING: this kernel cannot enforce all of the sandbox: LANDLOCK_ACCESS_FS_TRUNCATE", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, warning => warning.Contains("LANDLOCK_SCOPE_SIGNAL", StringComparison.Ordinal));
        Assert.Empty(LinuxLaunchPlan.Create(policy, Host(WithUserns, abi: 7)).Warnings);
        Assert.Contains("--require-isolation", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_network_without_masks_needs_no_namespace()
    {
        var plan = LinuxLaunchPlan.Create(new SandboxPolicy { Grants = [FsGrant.Directory("/usr", FsAccess.ReadExecute)] }, Host(WithUserns));
        Assert.False(plan.UseNamespaces);
        Assert.Empty(plan.UnshareCommand());
        Assert.Equal(SocketRule.UnixOnly, plan.SocketRule);
    }

    [Fact]
    public void Deny_inside_a_grant_uses_a_mount_namespace()
    {
        Directory.CreateDirectory(Path.Join(_home.FullName, ".ssh"));
        var plan = LinuxLaunchPlan.Create(HomePolicy(), Host(WithUserns));
        Assert.True(plan.MountNamespace);
        Assert.Equal(["/usr/bin/unshare", "--user", "--map-current-user", "--keep-caps", "--mount", "--ipc", "--"], plan.UnshareCommand());
        Assert.Equal(new PathMask(Path.Join(_home.FullName, ".ssh"), IsDirectory: true), Assert.Single(plan.Masks));
    }

    [Fact]
    public void Deny_inside_a_grant_without_user_namespaces_is_refused()
    {
        Directory.CreateDirectory(Path.Join(_home.FullName, ".ssh"));
        var error = Assert.Throws<SandboxUnavailableException>(() => LinuxLaunchPlan.Create(HomePolicy(), Host(WithoutUserns)));
        Assert.Contains(".ssh", error.Message, StringComparison.Ordinal);
        Assert.Contains("disabled for the test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absent_denied_path_needs_no_mask()
    {
        var plan = LinuxLaunchPlan.Create(HomePolicy(), Host(WithoutUserns));
        Assert.Empty(plan.Masks);
        Assert.False(plan.UseNamespaces);
    }

    [Fact]
    public void Granting_a_path_inside_a_deny_is_a_policy_error()
    {
        var policy = new SandboxPolicy
        {
            Grants = [FsGrant.Directory(Path.Join(_home.FullName, "secret", "inner"), FsAccess.Read)],
            Denies = [Path.Join(_home.FullName, "secret")],
        };
        Assert.Throws<PolicyException>(() => LinuxLaunchPlan.Create(policy, Host(WithUserns)));
    }

    [Fact]
    public void Proxy_mode_gets_a_network_namespace_and_hands_over_its_ports()
    {
        var network = NetworkPolicy.ViaProxy(3128) with { ConnectPorts = [5432] };
        var plan = LinuxLaunchPlan.Create(new SandboxPolicy { Network = network }, Host(WithUserns));
        Assert.True(plan.NetworkNamespace);
        Assert.False(plan.ProxyFallback);
        Assert.Equal([(ushort)3128, (ushort)5432], plan.HandedOverPorts);
        Assert.Contains("--net", plan.UnshareCommand());
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Proxy_mode_without_user_namespaces_falls_back_with_a_loud_warning()
    {
        var plan = LinuxLaunchPlan.Create(new SandboxPolicy { Network = NetworkPolicy.ViaProxy(3128) }, Host(WithoutUserns));
        Assert.True(plan.ProxyFallback);
        Assert.False(plan.UseNamespaces);
        Assert.Empty(plan.HandedOverPorts);
        Assert.Equal(SocketRule.UnixAndInetTcpOnly, plan.SocketRule);
        Assert.Contains("WARNING", Assert.Single(plan.Warnings), StringComparison.Ordinal);
        Assert.Contains(plan.Describe(), line => line.Contains("FALLBACK", StringComparison.Ordinal));
    }

    [Fact]
    public void Proxy_mode_without_user_namespaces_is_refused_when_isolation_is_required()
    {
        var policy = new SandboxPolicy { Network = NetworkPolicy.ViaProxy(3128), RequireIsolation = true };
        var error = Assert.Throws<SandboxUnavailableException>(() => LinuxLaunchPlan.Create(policy, Host(WithoutUserns)));
        Assert.Contains("Isolation was required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_isolation_refuses_rights_an_old_kernel_cannot_enforce()
    {
        var policy = new SandboxPolicy { Network = NetworkPolicy.Host, RequireIsolation = true };
        var error = Assert.Throws<SandboxUnavailableException>(() => LinuxLaunchPlan.Create(policy, Host(WithUserns, abi: 2)));
        Assert.Contains("LANDLOCK_ACCESS_FS_TRUNCATE", error.Message, StringComparison.Ordinal);
        Assert.Empty(LinuxLaunchPlan.Create(policy, Host(WithUserns, abi: 7)).Notes);
    }

    [Fact]
    public void Old_landlock_without_scopes_gets_a_network_namespace_in_blocked_mode()
    {
        var plan = LinuxLaunchPlan.Create(new SandboxPolicy(), Host(WithUserns, abi: 4));
        Assert.True(plan.NetworkNamespace);
        Assert.Contains(plan.Notes, note => note.Contains("abstract unix sockets", StringComparison.Ordinal));
    }

    [Fact]
    public void Unshare_without_keep_caps_maps_root()
    {
        Directory.CreateDirectory(Path.Join(_home.FullName, ".ssh"));
        var plan = LinuxLaunchPlan.Create(HomePolicy(), Host(WithUserns.WithKeepCaps(false)));
        Assert.Contains("--map-root-user", plan.UnshareCommand());
        Assert.DoesNotContain("--keep-caps", plan.UnshareCommand());
        Assert.Contains(plan.Describe(), line => line.Contains("uid 0 of the new user namespace", StringComparison.Ordinal));
    }

    public void Dispose() => _home.Delete(recursive: true);
}
