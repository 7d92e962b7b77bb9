using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Tests.Session;

/// <summary>
/// The macOS session's plan and dry-run, produced by the planner directly: pure text, so these run
/// on any system and show exactly what stage 2 would apply on a Mac.
/// </summary>
public sealed class MacOSSessionPlanTests
{
    [Fact]
    public void Proxy_mode_profile_allows_tcp_to_the_proxy_port_on_localhost_and_no_other()
    {
        using var host = new TestHost();
        var plan = MacOSSessionPlan.Create(host.Resolve(), [54321], [], host.Tmp, new SeatbeltContext(host.Home));

        Assert.Contains("(remote tcp \"localhost:54321\")", plan.Profile, StringComparison.Ordinal);
        Assert.DoesNotContain("(allow network*)", plan.Profile, StringComparison.Ordinal);
        Assert.Single(plan.Profile.Split('\n'), line => line.Contains("(remote tcp", StringComparison.Ordinal));
        Assert.Equal(NetworkMode.Proxy, plan.Policy.Network.Mode);
    }

    [Fact]
    public void Connect_ports_are_allowed_directly_without_a_bridge()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { ConnectPorts = [5432] });

        var plan = MacOSSessionPlan.Create(settings, [40000], [], host.Tmp, new SeatbeltContext(host.Home));

        Assert.Contains("(remote tcp \"localhost:40000\")", plan.Profile, StringComparison.Ordinal);
        Assert.Contains("(remote tcp \"localhost:5432\")", plan.Profile, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_under_home_are_denied_even_when_home_is_granted()
    {
        using var host = new TestHost();
        host.MakeDirectory(".ssh");
        var settings = host.Resolve(new SessionFlags { Read = [host.Home] });

        var plan = MacOSSessionPlan.Create(settings, [40000], [], host.Tmp, new SeatbeltContext(host.Home));

        Assert.Contains(Path.Join(host.Home, ".ssh"), plan.Policy.Denies);
        var denyAt = plan.Profile.IndexOf($"(deny file-read*", StringComparison.Ordinal);
        Assert.True(denyAt > 0, "the profile has no read denies");
        Assert.Contains(Path.Join(host.Home, ".ssh"), plan.Profile[denyAt..], StringComparison.Ordinal);
    }

    [Fact]
    public void Session_temp_directory_is_granted_read_write()
    {
        using var host = new TestHost();

        var plan = MacOSSessionPlan.Create(host.Resolve(), [40000], [], host.Tmp, new SeatbeltContext(host.Home));

        Assert.Contains(plan.Policy.Grants, grant => grant.Path == host.Tmp && grant.Access.HasFlag(FsAccess.ReadWrite));
    }

    [Fact]
    public void Require_isolation_in_proxy_mode_is_refused_because_macOS_has_no_network_namespace()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { RequireIsolation = true });

        var error = Assert.Throws<SandboxUnavailableException>(() =>
            MacOSSessionPlan.Create(settings, [40000], [], host.Tmp, new SeatbeltContext(host.Home)));

        Assert.Contains("--require-isolation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_mode_profile_has_no_tcp_rule()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { BlockNetwork = true });

        var plan = MacOSSessionPlan.Create(settings, [], [], host.Tmp, new SeatbeltContext(host.Home));

        Assert.Equal(NetworkMode.Blocked, plan.Policy.Network.Mode);
        Assert.DoesNotContain("(remote tcp", plan.Profile, StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_describes_seatbelt_the_host_loopback_proxy_and_the_profile_text()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { AllowDomains = ["api.example.com"] });
        var request = new SessionRequest { Flags = SessionFlags.None, Command = ["python3", "agent.py"], WorkingDirectory = host.Work, DryRun = true };
        var proxy = MacOSSessionPlan.ProxyConfigFor(settings, request);
        var output = new StringWriter();

        var status = MacOSDryRun.Print(output, request, settings, proxy, "/usr/bin/python3", host.Tmp, new SeatbeltContext(host.Home));

        var text = output.ToString();
        Assert.Equal(0, status);
        Assert.Contains("command: /usr/bin/python3 agent.py", text, StringComparison.Ordinal);
        Assert.Contains("sandbox: Seatbelt", text, StringComparison.Ordinal);
        Assert.Contains("network: proxy only: TCP to localhost:3128 on the host's loopback", text, StringComparison.Ordinal);
        Assert.Contains("proxy: 127.0.0.1 on the host, ephemeral port chosen at start", text, StringComparison.Ordinal);
        Assert.Contains("proxy allows: api.example.com", text, StringComparison.Ordinal);
        Assert.Contains("  (deny default)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_config_listens_on_host_loopback_with_the_token_required_and_an_ephemeral_port()
    {
        using var host = new TestHost();
        var settings = host.Resolve();
        var request = new SessionRequest { Flags = SessionFlags.None, Command = ["true"], WorkingDirectory = host.Work };

        var config = MacOSSessionPlan.ProxyConfigFor(settings, request);
        var fixedPort = MacOSSessionPlan.ProxyConfigFor(settings, request with { ProxyPort = 4444 });

        Assert.Equal("127.0.0.1", config.BindAddress);
        Assert.True(config.BindOwnListener);
        Assert.True(config.RequireAuth);
        Assert.Equal(0, config.BindPort);
        Assert.Equal(4444, fixedPort.BindPort);
    }
}
