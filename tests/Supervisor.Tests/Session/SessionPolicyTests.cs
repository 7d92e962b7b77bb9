using Nono.Sandbox;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Tests.Session;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SessionPolicyTests
{
    [Fact]
    public void Profile_and_system_grants_are_merged_without_doubles()
    {
        using var host = new TestHost();
        var settings = host.Resolve();
        var system = LinuxSystemPolicy.BaseGrants(host.Tmp, []);

        var policy = SessionPolicy.Compose(settings.CreateSandboxPolicy(3128), system, host.Environment.SensitiveHomes());

        Assert.Equal(policy.Grants.Count, policy.Grants.DistinctBy(g => (g.Path, g.Target)).Count());
        Assert.Single(policy.Grants, g => g.Path == "/usr");
        Assert.Single(policy.Grants, g => g.Path == host.Tmp && g.Access == FsAccess.All);
        Assert.Contains(policy.Grants, g => g.Path == host.Work && g.Access == FsAccess.All);
    }

    [Fact]
    public void Etc_is_granted_entry_by_entry_and_never_whole_nor_its_secrets()
    {
        using var host = new TestHost();
        var settings = host.Resolve();

        var policy = SessionPolicy.Compose(settings.CreateSandboxPolicy(3128), LinuxSystemPolicy.BaseGrants(host.Tmp, []), host.Environment.SensitiveHomes());

        Assert.DoesNotContain(policy.Grants, g => g.Path == "/etc");
        Assert.DoesNotContain(policy.Grants, g => g.Path == "/etc/shadow");
        Assert.Contains(policy.Grants, g => g.Path.StartsWith("/etc/", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_sessions_terminal_is_granted_never_all_of_dev_pts()
    {
        using var host = new TestHost();
        var settings = host.Resolve();

        var policy = SessionPolicy.Compose(settings.CreateSandboxPolicy(3128), LinuxSystemPolicy.BaseGrants(host.Tmp, ["/dev/pts/42"]), host.Environment.SensitiveHomes());

        Assert.DoesNotContain(policy.Grants, g => g.Path == "/dev/pts");
        Assert.Contains(policy.Grants, g => g.Path == "/dev/pts/42" && g.Target == FsTarget.File);
    }

    [Fact]
    public void Sensitive_paths_under_home_become_denies()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { Read = [host.Home] });

        var policy = SessionPolicy.Compose(settings.CreateSandboxPolicy(3128), LinuxSystemPolicy.BaseGrants(host.Tmp, []), host.Environment.SensitiveHomes());

        Assert.Contains(Path.Join(host.Home, ".ssh"), policy.Denies);
        Assert.Contains(Path.Join(host.Home, ".aws"), policy.Denies);
    }
}
