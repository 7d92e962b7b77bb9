using Nono.Sandbox.Linux.Landlock;

namespace Nono.Sandbox.Linux.Tests.Landlock;

public sealed class LandlockPlanTests
{
    private static SandboxPolicy Policy(NetworkPolicy? network = null, params FsGrant[] grants) =>
        new() { Grants = grants, Network = network ?? NetworkPolicy.Blocked };

    [Fact]
    public void File_grants_get_only_file_applicable_rights()
    {
        var plan = LandlockPlan.Create(Policy(null, FsGrant.File("/etc/hosts", FsAccess.All)), abi: 7, networkNamespace: false, proxyFallback: false);
        var rights = Assert.Single(plan.PathRules).Rights;
        Assert.Equal(FsRights.None, rights & ~LandlockRights.FileApplicable);
        Assert.True(rights.HasFlag(FsRights.ReadFile | FsRights.WriteFile | FsRights.Execute | FsRights.Truncate));
    }

    [Fact]
    public void Read_grant_carries_no_write_and_write_grant_no_read_or_execute()
    {
        var read = LandlockPlan.RightsFor(FsAccess.Read, isFile: false);
        var write = LandlockPlan.RightsFor(FsAccess.Write, isFile: false);
        Assert.Equal(FsRights.ReadFile | FsRights.ReadDir, read);
        Assert.False(write.HasFlag(FsRights.ReadFile) || write.HasFlag(FsRights.Execute) || write.HasFlag(FsRights.ReadDir));
        Assert.False(write.HasFlag(FsRights.MakeChar) || write.HasFlag(FsRights.MakeBlock));
    }

    [Theory]
    [InlineData(1, new[] { "REFER", "TRUNCATE", "IOCTL_DEV" })]
    [InlineData(3, new[] { "IOCTL_DEV" })]
    [InlineData(5, new string[0])]
    public void Rights_the_kernel_lacks_are_degraded_with_a_note(int abi, string[] missing)
    {
        var plan = LandlockPlan.Create(Policy(NetworkPolicy.Host, FsGrant.Directory("/usr", FsAccess.All)), abi, networkNamespace: false, proxyFallback: false);
        Assert.Equal(LandlockRights.FsFor(abi), plan.HandledFs);
        Assert.Equal(FsRights.None, plan.PathRules[0].Rights & ~LandlockRights.FsFor(abi));
        foreach (var right in new[] { "REFER", "TRUNCATE", "IOCTL_DEV" })
        {
            Assert.Equal(missing.Contains(right), plan.Degraded.Any(note => note.Contains($"LANDLOCK_ACCESS_FS_{right} ", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData(2, true, true)]
    [InlineData(5, false, true)]
    [InlineData(6, false, false)]
    public void Kernel_gaps_that_let_the_child_do_more_are_weaknesses_not_just_notes(int abi, bool truncate, bool signal)
    {
        var policy = Policy(NetworkPolicy.Blocked, FsGrant.Directory("/usr", FsAccess.Read | FsAccess.Execute));
        var plan = LandlockPlan.Create(policy, abi, networkNamespace: true, proxyFallback: false);

        Assert.Equal(truncate, plan.Weakened.Any(note => note.Contains("read-only grants can be truncated", StringComparison.Ordinal)));
        Assert.Equal(signal, plan.Weakened.Any(note => note.Contains("LANDLOCK_SCOPE_SIGNAL", StringComparison.Ordinal)));
        Assert.Equal(signal, plan.Degraded.Any(note => note.Contains("LANDLOCK_SCOPE_SIGNAL", StringComparison.Ordinal)));

        // REFER missing (ABI 1) forbids more, never less: a note, not a weakness.
        var abi1 = LandlockPlan.Create(policy, 1, networkNamespace: true, proxyFallback: false);
        Assert.DoesNotContain(abi1.Weakened, note => note.Contains("REFER", StringComparison.Ordinal));
    }

    [Fact]
    public void Truncate_gap_is_no_weakness_when_every_grant_is_writable_anyway()
    {
        var plan = LandlockPlan.Create(Policy(NetworkPolicy.Blocked, FsGrant.Directory("/work", FsAccess.All)), abi: 2, networkNamespace: true, proxyFallback: false);
        Assert.DoesNotContain(plan.Weakened, note => note.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_landlock_is_refused()
    {
        var error = Assert.Throws<SandboxUnavailableException>(() => LandlockPlan.Create(Policy(), abi: 0, false, false));
        Assert.Contains("Landlock is not available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_fallback_without_tcp_rules_is_refused_naming_the_right()
    {
        var policy = Policy(NetworkPolicy.ViaProxy(3128));
        var error = Assert.Throws<SandboxUnavailableException>(() => LandlockPlan.Create(policy, abi: 3, networkNamespace: false, proxyFallback: true));
        Assert.Contains("LANDLOCK_ACCESS_NET_CONNECT_TCP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_network_without_abstract_socket_scoping_or_namespace_is_refused()
    {
        var error = Assert.Throws<SandboxUnavailableException>(() => LandlockPlan.Create(Policy(), abi: 5, networkNamespace: false, proxyFallback: false));
        Assert.Contains("LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET", error.Message, StringComparison.Ordinal);
        var withNamespace = LandlockPlan.Create(Policy(), abi: 5, networkNamespace: true, proxyFallback: false);
        Assert.Equal(ScopeRights.None, withNamespace.Scoped);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Proxy_mode_allows_connect_only_to_proxy_and_connect_ports_and_bind_only_to_bind_ports(bool networkNamespace)
    {
        var network = NetworkPolicy.ViaProxy(3128) with { ConnectPorts = [5432], BindPorts = [8080] };
        var plan = LandlockPlan.Create(Policy(network), abi: 7, networkNamespace, proxyFallback: !networkNamespace);

        // On the host's network (the fallback) a bind port must not open connections to the host's own
        // service on that port; in the program's namespace only its own server can be listening there.
        var bindPort = networkNamespace ? NetRights.ConnectTcp | NetRights.BindTcp : NetRights.BindTcp;
        Assert.Equal(NetRights.BindTcp | NetRights.ConnectTcp, plan.HandledNet);
        Assert.Equal(
            [new LandlockPortRule(3128, NetRights.ConnectTcp), new LandlockPortRule(5432, NetRights.ConnectTcp), new LandlockPortRule(8080, bindPort)],
            plan.PortRules);
    }

    [Fact]
    public void Blocked_mode_handles_tcp_with_no_port_rules_and_scopes_everything()
    {
        var plan = LandlockPlan.Create(Policy(), abi: 7, networkNamespace: false, proxyFallback: false);
        Assert.Equal(NetRights.BindTcp | NetRights.ConnectTcp, plan.HandledNet);
        Assert.Empty(plan.PortRules);
        Assert.Equal(ScopeRights.AbstractUnixSocket | ScopeRights.Signal, plan.Scoped);
    }

    [Fact]
    public void Host_mode_handles_no_network_rights()
    {
        var plan = LandlockPlan.Create(Policy(NetworkPolicy.Host), abi: 7, networkNamespace: false, proxyFallback: false);
        Assert.Equal(NetRights.None, plan.HandledNet);
    }
}
