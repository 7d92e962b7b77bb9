using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class FilesystemResolverTests
{
    [Fact]
    public void Granting_a_sensitive_path_is_refused_with_its_location()
    {
        using var host = new TestHost();
        host.MakeDirectory(".ssh");
        var path = host.WriteUserProfile("p", "{\"filesystem\": {\n  \"read\": [\"~/.ssh\"]}}");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = path }));

        Assert.StartsWith($"{path}:2:12: filesystem.read: '~/.ssh' is a sensitive path", error.Message);
    }

    [Fact]
    public void A_symlink_to_a_sensitive_path_is_refused_too()
    {
        using var host = new TestHost();
        var ssh = host.MakeDirectory(".ssh");
        var link = Path.Join(host.Work, "keys");
        Directory.CreateSymbolicLink(link, ssh);

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Read = [link] }));

        Assert.Contains($"({ssh}) is a sensitive path", error.Message);
    }

    [Fact]
    public void Grants_are_made_on_the_real_path()
    {
        using var host = new TestHost();
        var target = host.MakeDirectory("real-data");
        var link = Path.Join(host.Root, "data-link");
        Directory.CreateSymbolicLink(link, "home/user/real-data");

        var settings = host.Resolve(new SessionFlags { Read = [link] });

        Assert.Contains(FsGrant.Directory(target, FsAccess.ReadExecute), settings.Grants);
        Assert.DoesNotContain(settings.Grants, g => g.Path == link);
    }

    [Fact]
    public void A_directory_above_a_sensitive_path_may_be_read()
    {
        using var host = new TestHost();
        host.MakeDirectory(".ssh");

        var settings = host.Resolve(new SessionFlags { Read = [host.Home] });

        Assert.Contains(FsGrant.Directory(host.Home, FsAccess.ReadExecute), settings.Grants);
    }

    [Theory]
    [InlineData("home")]
    [InlineData("above-home")]
    [InlineData("root")]
    public void Write_access_to_home_or_above_is_refused(string which)
    {
        using var host = new TestHost();
        var path = which switch { "home" => host.Home, "above-home" => Path.GetDirectoryName(host.Home)!, _ => "/" };

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Allow = [path] }));

        Assert.Contains("would give write access to your home directory or a directory above it", error.Message);
    }

    [Fact]
    public void Running_the_default_profile_from_home_is_refused_with_advice()
    {
        using var host = new TestHost();
        var inHome = host.Environment with { WorkDir = host.Home };

        var error = Assert.Throws<ProfileException>(() => SessionResolver.Resolve(inHome, SessionFlags.None, SessionScope.Full, new TestCatalog()));

        Assert.StartsWith("built-in:default.jsonc:", error.Message);
        Assert.Contains("run nono from a project directory", error.Message);
    }

    [Fact]
    public void A_missing_path_from_a_flag_is_an_error_but_from_a_profile_it_is_reported()
    {
        using var host = new TestHost();
        var missing = Path.Join(host.Home, "nothing-here");
        var path = host.WriteUserProfile("p", $$$"""{"extends": "default", "filesystem": {"read": ["{{{missing}}}"]}}""");

        Assert.Equal($"command line (--read): '{missing}' ({missing}) does not exist",
            Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Read = [missing] })).Message);
        var skipped = Assert.Single(host.Resolve(new SessionFlags { Profile = "p" }).SkippedPaths, s => s.Path == missing);
        Assert.Equal($"{path}:1:48: filesystem.read '{missing}' ({missing}) does not exist; not granted", skipped.ToString());
    }

    [Fact]
    public void Relative_flag_paths_resolve_against_the_working_directory()
    {
        using var host = new TestHost();
        var sub = Directory.CreateDirectory(Path.Join(host.Work, "sub")).FullName;
        var sibling = host.MakeDirectory("sibling");

        var settings = host.Resolve(new SessionFlags { Deny = ["sub"], Read = ["../sibling"] });

        Assert.Contains(sub, settings.Denies);
        Assert.Contains(settings.Grants, g => g.Path == sibling);
    }

    [Fact]
    public void A_file_rule_must_name_a_file_and_a_directory_rule_naming_a_file_grants_it_alone()
    {
        using var host = new TestHost();
        var file = host.WriteFile(Path.Join(host.Home, "f.txt"), "x");

        Assert.Contains(host.Resolve(new SessionFlags { Read = [file] }).Grants, grant => grant.Path == file && grant.Target == Sandbox.FsTarget.File);
        Assert.Contains("is a directory; use 'allow'", Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { ReadFile = [host.Work] })).Message);
    }

    [Fact]
    public void Each_rule_grants_its_rights()
    {
        using var host = new TestHost();
        var dir = host.MakeDirectory("out");
        var file = host.WriteFile(Path.Join(host.Home, "log.txt"), string.Empty);

        var settings = host.Resolve(new SessionFlags { Write = [dir], WriteFile = [file] });

        Assert.Contains(FsGrant.Directory(dir, FsAccess.Write), settings.Grants);
        Assert.Contains(FsGrant.File(file, FsAccess.Write), settings.Grants);
        Assert.Contains(FsGrant.Directory(host.Work, FsAccess.All), settings.Grants);
    }

    [Fact]
    public void A_grant_already_given_by_a_directory_above_it_is_dropped()
    {
        using var host = new TestHost();
        var outer = host.MakeDirectory("tools");
        var inner = host.MakeDirectory("tools/bin");
        var writable = host.MakeDirectory("tools/cache");

        var settings = host.Resolve(new SessionFlags { Read = [outer, inner], Allow = [writable] });

        Assert.Contains(FsGrant.Directory(outer, FsAccess.ReadExecute), settings.Grants);
        Assert.DoesNotContain(settings.Grants, g => g.Path == inner);
        Assert.Contains(FsGrant.Directory(writable, FsAccess.All), settings.Grants);
    }

    [Fact]
    public void The_same_path_granted_twice_merges_its_rights()
    {
        using var host = new TestHost();
        var dir = host.MakeDirectory("shared");

        var settings = host.Resolve(new SessionFlags { Read = [dir], Write = [dir] });

        Assert.Equal(FsAccess.All, Assert.Single(settings.Grants, g => g.Path == dir).Access);
    }

    [Fact]
    public void Denies_inside_grants_are_kept_and_others_are_dropped()
    {
        using var host = new TestHost();
        var secret = host.WriteFile(Path.Join(host.Work, ".env"), "TOKEN=x");
        var elsewhere = host.MakeDirectory("elsewhere");

        var settings = host.Resolve(new SessionFlags { Deny = [secret, elsewhere, Path.Join(host.Work, "not-there")] });

        Assert.Equal([secret], settings.Denies);
        Assert.Equal([secret], settings.CreateSandboxPolicy(1).Denies);
    }

    [Fact]
    public void A_grant_inside_a_deny_is_an_error()
    {
        using var host = new TestHost();
        var outer = host.MakeDirectory("project/vendor");
        var inner = host.MakeDirectory("project/vendor/lib");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Deny = [outer], Read = [inner] }));
        Assert.Contains("is denied but", error.Message);
    }

    [Fact]
    public void The_callers_ssh_agent_socket_is_masked_when_a_grant_covers_it()
    {
        var socketDir = Directory.CreateTempSubdirectory("nono-agent-").FullName;
        try
        {
            var socket = Path.Join(socketDir, "agent.1");
            File.WriteAllText(socket, string.Empty);
            using var host = new TestHost(new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = socket });

            var covered = host.Resolve(new SessionFlags { Read = [socketDir] });
            var uncovered = host.Resolve();
            var allowed = host.Resolve(new SessionFlags { Read = [socketDir], AllowVars = ["SSH_AUTH_SOCK"] });

            Assert.Contains(socket, covered.Denies);
            Assert.DoesNotContain(socket, uncovered.Denies);
            Assert.DoesNotContain(socket, allowed.Denies);
        }
        finally
        {
            Directory.Delete(socketDir, recursive: true);
        }
    }

    [Fact]
    public void Path_variables_expand_to_the_hosts_directories()
    {
        using var host = new TestHost();

        Assert.Equal(Path.Join(host.Home, "a"), PathVariables.Expand("~/a", new SourceLocation("t", 1, 1), "k", host.Environment));
        Assert.Equal(Path.Join(host.Work, "b"), PathVariables.Expand("${WORKDIR}/b/", new SourceLocation("t", 1, 1), "k", host.Environment));
        Assert.Equal(Path.Join(host.Tmp, "c"), PathVariables.Expand("$TMPDIR//./c", new SourceLocation("t", 1, 1), "k", host.Environment));
        Assert.Equal(Path.Join(host.ConfigHome, "git"), PathVariables.Expand("$XDG_CONFIG_HOME/git", new SourceLocation("t", 1, 1), "k", host.Environment));
        Assert.Equal(Path.Join(host.Home, ".cache", "pip"), PathVariables.Expand("$XDG_CACHE_HOME/pip", new SourceLocation("t", 1, 1), "k", host.Environment));
    }
}
