using Nono.Sandbox.Persistence;

namespace Nono.Sandbox.Tests.Persistence;

public sealed class SessionScanTests
{
    [Fact]
    public void Hooks_and_settings_planted_in_new_and_existing_repositories_are_found_and_cannot_run()
    {
        using var git = new Git();
        var work = Directory.CreateDirectory(Path.Join(git.Root, "work")).FullName;
        var repo = git.Init("work/proj");
        File.WriteAllText(Path.Join(repo, ".git/hooks/pre-push"), "#!/bin/sh\nexit 0\n");
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(work, FsAccess.ReadWrite)] };
        var home = HomeLocations.FromEnvironment(git.Home, null);
        var scan = SessionScan.Start(PersistenceDiscovery.Discover(policy, home), policy, home);

        // What a program inside could do where nothing was mounted (a clone it made itself, a hook it changed).
        var marker = Path.Join(git.Root, "ran");
        var clone = Path.Join(work, "clone");
        git.Run(work, "clone", "-q", repo, clone);
        Plant(Path.Join(clone, ".git/hooks/pre-commit"), marker);
        Plant(Path.Join(repo, ".git/hooks/pre-push"), marker);
        File.AppendAllText(Path.Join(clone, ".git/config"), $"[core]\n\tfsmonitor = \"touch {marker}; echo\"\n[alias]\n\tst = !touch {marker}\n");

        var findings = scan.Finish();
        Assert.Equal(
            new[] { $"hook {clone}/.git/hooks/pre-commit", $"hook {repo}/.git/hooks/pre-push", "core.fsmonitor", "alias.st" }.Order(StringComparer.Ordinal),
            findings.Select(f => f.Kind == FindingKind.Hook ? f.Describe() : f.Name).Order(StringComparer.Ordinal));

        var results = Quarantine.Apply(findings, scan.Writable);
        Assert.All(results, result => Assert.True(result.Disabled, result.Action));

        File.WriteAllText(Path.Join(clone, "new.txt"), "x\n");
        git.Run(clone, "add", "new.txt");
        git.Run(clone, "commit", "-q", "-m", "second");
        git.Run(clone, "status");
        Assert.False(git.Try(clone, "st").Status == 0 && File.Exists(marker));
        Assert.False(File.Exists(marker), "a planted hook or setting ran");

        // The printed restore commands bring them back.
        Assert.Contains(results, result => result.Restore is { } restore && restore.StartsWith("mv -- ", StringComparison.Ordinal));
        Assert.Contains(results, result => result.Restore is { } restore && restore.StartsWith("sed -i", StringComparison.Ordinal));
    }

    [Fact]
    public void Hooks_that_existed_before_the_session_are_not_reported()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        File.WriteAllText(Path.Join(repo, ".git/hooks/pre-commit"), "#!/bin/sh\n");
        git.Run(repo, "config", "core.pager", "less");
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(repo, FsAccess.ReadWrite)] };
        var home = HomeLocations.FromEnvironment(git.Home, null);
        var scan = SessionScan.Start(PersistenceDiscovery.Discover(policy, home), policy, home);
        Assert.Empty(scan.Finish());
    }

    [Fact]
    public void A_link_planted_to_redirect_the_quarantine_is_not_followed()
    {
        using var git = new Git();
        var work = Directory.CreateDirectory(Path.Join(git.Root, "work")).FullName;
        var outside = Directory.CreateDirectory(Path.Join(git.Root, "outside/hooks")).FullName;
        File.WriteAllText(Path.Join(outside, "precious"), "user's file\n");
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(work, FsAccess.ReadWrite)] };
        var home = HomeLocations.FromEnvironment(git.Home, null);
        var scan = SessionScan.Start(PersistenceDiscovery.Discover(policy, home), policy, home);

        var repo = Path.Join(work, "evil");
        git.Run(work, "init", "-q", repo);
        Directory.Delete(Path.Join(repo, ".git/hooks"), recursive: true);
        Directory.CreateSymbolicLink(Path.Join(repo, ".git/hooks"), outside);
        var findings = scan.Finish();
        var results = Quarantine.Apply(findings, scan.Writable);
        Assert.True(File.Exists(Path.Join(outside, "precious")), "nono renamed a file outside the grant");
        Assert.DoesNotContain(results, result => result.Disabled && result.Finding.Path.StartsWith(outside, StringComparison.Ordinal));
    }

    private static void Plant(string hook, string marker)
    {
        File.WriteAllText(hook, $"#!/bin/sh\ntouch '{marker}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_directory_removed_with_the_session_is_not_searched_at_the_end()
    {
        using var git = new Git();
        var work = Directory.CreateDirectory(Path.Join(git.Root, "work")).FullName;
        var temp = Directory.CreateDirectory(Path.Join(git.Root, "session-tmp")).FullName;
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory(work, FsAccess.ReadWrite), FsGrant.Directory(temp, FsAccess.ReadWrite)] };
        var home = HomeLocations.FromEnvironment(git.Home, null);
        var scan = SessionScan.Start(PersistenceDiscovery.Discover(policy, home), policy, home, [temp]);
        git.Run(temp, "init", "-q", "scratch");
        git.Run(work, "init", "-q", "kept");
        File.WriteAllText(Path.Join(temp, "scratch/.git/hooks/pre-commit"), "#!/bin/sh\n");
        File.WriteAllText(Path.Join(work, "kept/.git/hooks/pre-commit"), "#!/bin/sh\n");
        Assert.Equal([$"{work}/kept/.git/hooks/pre-commit"], scan.Finish().Select(finding => finding.Path));
    }
}
