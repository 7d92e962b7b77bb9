using Nono.Sandbox;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Cli;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Tests.Policy;

/// <summary>Which homes' credentials are hidden: $HOME, the account's own home, and other accounts' homes inside a grant.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SensitiveHomesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nono-homes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Covers_answers_what_each_homes_sensitive_path_list_answers()
    {
        var me = Dir("me");
        var alice = Dir("home/alice");
        var homes = SensitiveHomes.For(me, new UserAccounts(null, [alice, "/"]));
        string[] paths =
        [
            me, Path.Join(me, ".ssh"), Path.Join(me, ".ssh/id_ed25519"), Path.Join(me, ".sshx"), Path.Join(me, ".ss"),
            Path.Join(me, ".config"), Path.Join(me, ".config/gcloud"), Path.Join(me, ".config/gcloud/a/b"),
            Path.Join(me, ".config/git/credentials"), Path.Join(me, ".config/git"), Path.Join(me, ".config/git/config"),
            Path.Join(me, ".ssh/"), Path.Join(alice, ".aws/credentials"), Path.Join(alice, "src"), "/", "/etc/passwd",
            Path.Join(me, ".local/share/fish/fish_history"), Path.Join(me, ".local/share/fish"),
            "/.ssh", "/.ssh/config", "/.sshd", "/.aws", "/etc/.ssh", Path.Join(me, "x/.ssh"), Path.Join(me, ".ssh//x"),
        ];

        foreach (var path in paths)
        {
            var expected = new[] { me, alice, "/" }.Any(home => SensitivePaths.Covers(home, path));
            Assert.True(expected == homes.Covers(path), $"{path}: expected {expected}");
        }
    }

    [Fact]
    public void Account_home_is_protected_when_HOME_points_elsewhere()
    {
        var realHome = Dir("root");
        var accounts = new UserAccounts(realHome, [realHome]);

        var policy = Wrap(new WrapOptions { Command = ["/bin/true"], Read = [realHome] }, Dir("elsewhere"), accounts);

        Assert.Contains(Path.Join(realHome, ".ssh"), policy.Denies);
        Assert.Contains(Path.Join(realHome, ".aws"), policy.Denies);
    }

    [Fact]
    public void Home_of_another_account_inside_a_grant_is_protected()
    {
        var alice = Dir("home/alice");
        Dir("home/alice/.ssh");
        File.WriteAllText(Path.Join(alice, ".git-credentials"), "https://alice:secret@example.com\n");
        var accounts = new UserAccounts(null, UserAccounts.HomesIn(Passwd($"alice:x:1001:1001:Alice:{alice}:/bin/sh")));

        var policy = Wrap(new WrapOptions { Command = ["/bin/true"], Read = [Path.Join(_root, "home")] }, Dir("me"), accounts);

        Assert.Contains(Path.Join(alice, ".ssh"), policy.Denies);
        Assert.Contains(Path.Join(alice, ".git-credentials"), policy.Denies);
    }

    [Fact]
    public void Missing_credentials_of_another_account_are_not_denied_so_a_writable_grant_above_its_home_is_not_refused()
    {
        // /var above /var/cache/man: a system account's home inside an ordinary writable grant.
        var man = Dir("var/cache/man");
        var accounts = new UserAccounts(null, UserAccounts.HomesIn(Passwd($"man:x:6:12:man:{man}:/usr/sbin/nologin")));

        var policy = Wrap(new WrapOptions { Command = ["/bin/true"], Allow = [Path.Join(_root, "var")] }, Dir("me"), accounts);

        Assert.DoesNotContain(policy.Denies, deny => deny.StartsWith(man, StringComparison.Ordinal));
    }

    [Fact]
    public void Home_of_another_account_outside_every_grant_needs_no_denies()
    {
        var alice = Dir("home/alice");
        var accounts = new UserAccounts(null, UserAccounts.HomesIn(Passwd($"alice:x:1001:1001::{alice}:/bin/sh")));

        var policy = Wrap(new WrapOptions { Command = ["/bin/true"], Read = [Dir("project")] }, Dir("me"), accounts);

        Assert.DoesNotContain(policy.Denies, deny => deny.StartsWith(alice, StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_of_another_account_are_never_granted_explicitly()
    {
        var aliceSsh = Dir("home/alice/.ssh");
        var accounts = new UserAccounts(null, [Path.Join(_root, "home/alice")]);

        var error = Assert.Throws<ProfileException>(() =>
            Wrap(new WrapOptions { Command = ["/bin/true"], Read = [aliceSsh] }, Dir("me"), accounts));

        Assert.Contains("never grants", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_policy_protects_the_account_home_and_other_homes_inside_grants()
    {
        using var host = new TestHost();
        var realHome = Dir("root");
        var bob = Dir("shared/bob");
        Dir("shared/bob/.ssh");
        var environment = host.Environment with { Accounts = new UserAccounts(realHome, [realHome, bob]) };
        var settings = SessionResolver.Resolve(environment, new SessionFlags { Read = [Path.Join(_root, "shared")] }, SessionScope.Full, new TestCatalog());

        var policy = SessionPolicy.Compose(settings.CreateSandboxPolicy(3128), LinuxSystemPolicy.BaseGrants(host.Tmp, []), environment.SensitiveHomes());

        Assert.Contains(Path.Join(realHome, ".ssh"), policy.Denies);
        Assert.Contains(Path.Join(bob, ".ssh"), policy.Denies);
        Assert.Contains(Path.Join(host.Home, ".ssh"), policy.Denies);
    }

    [Fact]
    public void Profile_grant_of_another_accounts_credentials_is_refused()
    {
        using var host = new TestHost();
        var bobAws = Dir("shared/bob/.aws");
        var environment = host.Environment with { Accounts = new UserAccounts(null, [Path.Join(_root, "shared/bob")]) };

        var error = Assert.Throws<ProfileException>(() =>
            SessionResolver.Resolve(environment, new SessionFlags { Read = [bobAws] }, SessionScope.Full, new TestCatalog()));

        Assert.Contains("sensitive path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passwd_homes_are_read_from_the_sixth_field_and_odd_lines_are_skipped()
    {
        var file = Passwd(
            "root:x:0:0:root:/root:/bin/bash",
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
            "# a comment",
            "broken:x:2",
            "relative:x:3:3::home/relative:/bin/sh",
            "alice:x:1001:1001:Alice,,,:/home/alice/:/bin/sh",
            "again:x:1002:1002::/root:/bin/sh");

        Assert.Equal(["/root", "/usr/sbin", "/home/alice"], UserAccounts.HomesIn(file));
        Assert.Empty(UserAccounts.HomesIn(Path.Join(_root, "missing")));
    }

    [Fact]
    public void Account_home_of_the_current_user_comes_from_the_password_database()
    {
        var fromDatabase = UserAccounts.FromSystem().OwnHome;

        var uid = File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[2];
        var expected = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(fields => fields.Length >= 7 && fields[2] == uid)?[5];
        Assert.SkipWhen(expected is null, "this user is not listed in /etc/passwd (directory services), so there is nothing to compare with");
        Assert.Equal(expected, fromDatabase);
    }

    /// <summary>`nono wrap`'s policy, resolved as the command resolves it (no profile: base layer and flags).</summary>
    private SandboxPolicy Wrap(WrapOptions options, string home, UserAccounts accounts)
    {
        var host = new HostEnvironment { Home = home, WorkDir = "/", TmpDir = Dir("tmp"), Accounts = accounts };
        var settings = WrapPolicyBuilder.WithoutProxy(SessionResolver.Resolve(host, options.ToSessionFlags("/"), SessionScope.Full, new TestCatalog(), defaultProfile: null));
        return WrapPolicyBuilder.Build(settings, [], host.SensitiveHomes());
    }

    private string Dir(string relative) => Directory.CreateDirectory(Path.Join(_root, relative)).FullName;

    private string Passwd(params string[] lines)
    {
        var path = Path.Join(_root, "passwd");
        File.WriteAllLines(path, lines);
        return path;
    }
}
