using Nono.Sandbox;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Toolchains;

namespace Nono.Supervisor.Tests.Toolchains;

public sealed class ToolchainDirectoriesTests
{
    [Fact]
    public void Version_manager_roots_and_path_directories_under_home_are_read_and_execute_only()
    {
        using var host = new TestHost();
        var path = string.Join(':', Path.Join(host.Home, ".pyenv", "shims"), Path.Join(host.Home, "bin"), Path.Join(host.Home, ".cargo", "bin"), "/usr/bin");
        var env = host.Environment with { Variables = new Dictionary<string, string>(host.Environment.Variables) { ["PATH"] = path } };
        host.MakeDirectory(".pyenv/shims");
        host.MakeDirectory("bin");
        host.MakeDirectory(".cargo/bin");
        host.WriteFile(Path.Join(host.Home, ".cargo", "credentials.toml"), "[registry]\ntoken = \"secret\"\n");
        host.WriteFile(Path.Join(host.Home, ".cargo", "config.toml"), "[build]\n");

        var settings = SessionResolver.Resolve(env, SessionFlags.None, SessionScope.Full, new TestCatalog());

        Assert.Contains(FsGrant.Directory(Path.Join(host.Home, ".pyenv"), FsAccess.ReadExecute), settings.Grants);
        Assert.Contains(FsGrant.Directory(Path.Join(host.Home, ".cargo", "bin"), FsAccess.ReadExecute), settings.Grants);
        Assert.Contains(FsGrant.File(Path.Join(host.Home, ".cargo", "config.toml"), FsAccess.ReadExecute), settings.Grants);
        Assert.Contains(FsGrant.Directory(Path.Join(host.Home, "bin"), FsAccess.ReadExecute), settings.Grants);

        // cargo's tokens stay out without needing a mask (which would need a mount namespace).
        Assert.DoesNotContain(settings.Grants, grant => PathUtil.IsSameOrBelow(Path.Join(host.Home, ".cargo", "credentials.toml"), grant.Path));
        Assert.DoesNotContain(settings.Grants, grant => grant.Path.StartsWith(host.Home, StringComparison.Ordinal) && grant.Access.HasFlag(FsAccess.Write) && grant.Path != host.Work);
    }

    [Fact]
    public void The_home_itself_and_sensitive_directories_on_path_are_never_granted()
    {
        using var host = new TestHost();
        var ssh = host.MakeDirectory(".ssh");
        var env = host.Environment with { Variables = new Dictionary<string, string>(host.Environment.Variables) { ["PATH"] = $"{host.Home}:{ssh}:{host.Home}/../..:/usr/bin" } };

        var entries = ToolchainDirectories.Entries(env);

        Assert.DoesNotContain(entries, entry => entry.Raw == host.Home || entry.Raw == ssh || !entry.Raw.StartsWith(host.Home, StringComparison.Ordinal));
    }

    [Fact]
    public void A_command_outside_the_grants_is_refused_with_the_path_and_the_flag_that_grants_it()
    {
        using var host = new TestHost();
        var tools = host.MakeDirectory("tools/bin");
        var interpreter = Path.Join(tools, "interp");
        host.WriteFile(interpreter, "#!/bin/sh\n");
        var script = host.WriteFile(Path.Join(host.Work, "run.sh"), $"#!{interpreter} -x\n");
        var grants = new[] { FsGrant.Directory("/usr", FsAccess.ReadExecute), FsGrant.Directory("/bin", FsAccess.ReadExecute), FsGrant.Directory(host.Work, FsAccess.All) };

        var refusal = ExecutableReach.Refusal("./run.sh", script, grants, "/usr/bin", host.Environment.SensitiveHomes());

        Assert.Equal($"./run.sh: '{interpreter}' is outside the sandbox's grants, so it cannot run; grant it with --read {tools} (or add it to filesystem.read in a profile)", refusal);
        Assert.Null(ExecutableReach.Refusal("./run.sh", script, [.. grants, FsGrant.Directory(tools, FsAccess.ReadExecute)], "/usr/bin", host.Environment.SensitiveHomes()));
    }
}
