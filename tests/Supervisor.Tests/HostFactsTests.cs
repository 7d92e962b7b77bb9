using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class HostFactsTests
{
    [Fact]
    public void The_process_environment_supplies_home_workdir_and_temp()
    {
        var host = HostEnvironment.FromProcess();

        Assert.True(Path.IsPathFullyQualified(host.Home));
        Assert.Equal(Environment.CurrentDirectory.TrimEnd('/'), host.WorkDir);
        Assert.True(Path.IsPathFullyQualified(host.TmpDir));
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), host.Variables["PATH"]);
    }

    [Fact]
    public void An_explicit_working_directory_is_used_for_WORKDIR() =>
        Assert.Equal("/srv/project", HostEnvironment.FromProcess("/srv/project/").WorkDir);

    [Fact]
    public void Real_paths_follow_relative_links_with_dot_dot_and_chains()
    {
        var root = Directory.CreateTempSubdirectory("nono-realpath-").FullName;
        try
        {
            var target = Directory.CreateDirectory(Path.Join(root, "a", "target")).FullName;
            Directory.CreateDirectory(Path.Join(root, "b"));
            Directory.CreateSymbolicLink(Path.Join(root, "b", "up"), "../a");
            Directory.CreateSymbolicLink(Path.Join(root, "chain"), Path.Join(root, "b", "up"));
            File.CreateSymbolicLink(Path.Join(root, "dangling"), Path.Join(root, "nowhere"));
            Directory.CreateSymbolicLink(Path.Join(root, "loop1"), Path.Join(root, "loop2"));
            Directory.CreateSymbolicLink(Path.Join(root, "loop2"), Path.Join(root, "loop1"));

            Assert.Equal(target, RealPath.Resolve(Path.Join(root, "chain", "target")));
            Assert.Equal(target, RealPath.Resolve(Path.Join(root, "b", "up", "target")));
            Assert.Null(RealPath.Resolve(Path.Join(root, "dangling")));
            Assert.Null(RealPath.Resolve(Path.Join(root, "missing", "x")));
            Assert.Null(RealPath.Resolve(Path.Join(root, "loop1")));
            Assert.Equal("/", RealPath.Resolve("/"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
