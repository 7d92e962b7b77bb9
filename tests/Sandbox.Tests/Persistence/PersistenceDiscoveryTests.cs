using Nono.Sandbox.Persistence;

namespace Nono.Sandbox.Tests.Persistence;

public sealed class PersistenceDiscoveryTests
{
    private static PersistencePlan Discover(Git git, params string[] writable) =>
        PersistenceDiscovery.Discover(
            new SandboxPolicy { Grants = [.. writable.Select(path => FsGrant.Directory(path, FsAccess.ReadWrite))] },
            HomeLocations.FromEnvironment(git.Home, null));

    private static ProtectedPath Row(PersistencePlan plan, string path)
    {
        var rows = plan.Paths.Where(row => row.Path == path).ToArray();
        Assert.True(rows.Length == 1, $"{path} is not in the table exactly once:\n{string.Join('\n', plan.Paths)}");
        return rows[0];
    }

    [Fact]
    public void Repository_in_a_writable_grant_has_its_hooks_config_and_git_directory_protected()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        var plan = Discover(git, repo);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/.git/config").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/.git/hooks").Protection);
        Assert.Equal(Protection.Pinned, Row(plan, $"{repo}/.git").Protection);
        Assert.Equal(Protection.Watched, Row(plan, $"{repo}/.git/commondir").Protection);
        Assert.DoesNotContain(plan.Paths, row => row.Path == repo);
        var mounts = plan.Mounts.Select(row => row.Path).ToList();
        Assert.True(mounts.IndexOf($"{repo}/.git") < mounts.IndexOf($"{repo}/.git/config"), "a directory is mounted before what lies inside it");
    }

    [Fact]
    public void Nested_worktree_submodule_and_deeper_repositories_are_found()
    {
        using var git = new Git();
        var library = git.Init("library");
        var repo = git.Init("proj");
        git.Run(repo, "worktree", "add", "-q", "trees/feature");
        git.Run(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "vendor/lib");
        var nested = git.Init("proj/tools/other");
        var plan = Discover(git, repo);

        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/trees/feature/.git").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/.git/worktrees/feature/commondir").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/vendor/lib/.git").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/.git/modules/vendor/lib/config").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/.git/modules/vendor/lib/hooks").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{nested}/.git/hooks").Protection);

        // Renaming vendor/ or tools/ would carry those mounts away and free the names for planted copies.
        Assert.Equal(Protection.Pinned, Row(plan, $"{repo}/vendor").Protection);
        Assert.Equal(Protection.Pinned, Row(plan, $"{repo}/vendor/lib").Protection);
        Assert.Equal(Protection.Pinned, Row(plan, $"{repo}/tools/other").Protection);
        Assert.Equal(Protection.Pinned, Row(plan, $"{repo}/trees").Protection);
    }

    [Fact]
    public void Hooks_path_of_the_repository_is_protected_and_created_when_absent()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        git.Run(repo, "config", "core.hooksPath", ".husky");
        var plan = Discover(git, repo);
        var husky = Row(plan, $"{repo}/.husky");
        Assert.Equal((Protection.ReadOnly, true), (husky.Protection, husky.Create));
        Assert.False(Directory.Exists(husky.Path), "discovery itself changes nothing");
        plan.CreateMissing();
        Assert.True(Directory.Exists(husky.Path));
    }

    [Fact]
    public void Repository_above_the_grant_protects_the_hooks_path_it_names_inside_the_grant()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        var sub = Directory.CreateDirectory(Path.Join(repo, "sub")).FullName;
        git.Run(repo, "config", "core.hooksPath", "sub/hooks");
        var plan = Discover(git, sub);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{sub}/hooks").Protection);
        Assert.DoesNotContain(plan.Paths, row => row.Path == $"{repo}/.git/config");
    }

    [Fact]
    public void Global_hooks_path_and_home_files_count_where_the_home_is_writable()
    {
        using var git = new Git();
        File.WriteAllText(Path.Join(git.Home, ".gitconfig"), "[core]\n\thooksPath = ~/.githooks\n");
        File.WriteAllText(Path.Join(git.Home, ".bashrc"), "# rc\n");
        var plan = Discover(git, git.Home);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{git.Home}/.gitconfig").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{git.Home}/.bashrc").Protection);
        Assert.Equal(Protection.Watched, Row(plan, $"{git.Home}/.zshrc").Protection);
        Assert.True(Row(plan, $"{git.Home}/.config/autostart").Create);
        Assert.Equal(Protection.Pinned, Row(plan, $"{git.Home}/.config").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{git.Home}/.githooks").Protection);
    }

    [Fact]
    public void Symbolic_link_to_a_git_directory_inside_a_writable_grant_is_refused()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        var moved = Path.Join(git.Root, "proj/real-git");
        Directory.Move(Path.Join(repo, ".git"), moved);
        File.CreateSymbolicLink(Path.Join(repo, ".git"), moved);
        var error = Assert.Throws<PolicyException>(() => Discover(git, repo));
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_only_grants_need_no_protection()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        var plan = PersistenceDiscovery.Discover(
            new SandboxPolicy { Grants = [FsGrant.Directory(repo, FsAccess.ReadExecute)] },
            HomeLocations.FromEnvironment(git.Home, null));
        Assert.Empty(plan.Paths);
    }

    [Fact]
    public void Files_a_configuration_includes_are_protected_where_the_program_could_write_them()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        File.WriteAllText(Path.Join(repo, "shared.gitconfig"), "[include]\n\tpath = nested.gitconfig\n");
        git.Run(repo, "config", "include.path", "../shared.gitconfig");
        File.WriteAllText(Path.Join(git.Home, ".gitconfig"), $"[includeIf \"gitdir:{repo}/\"]\n\tpath = {repo}/team.gitconfig\n");
        File.WriteAllText(Path.Join(repo, "team.gitconfig"), "[core]\n\thooksPath = team-hooks\n");
        var plan = Discover(git, repo);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/shared.gitconfig").Protection);
        Assert.Equal(Protection.Watched, Row(plan, $"{repo}/nested.gitconfig").Protection);
        Assert.Equal(Protection.ReadOnly, Row(plan, $"{repo}/team.gitconfig").Protection);
        Assert.True(Row(plan, $"{repo}/team-hooks").Create, "a hooks path set in an included file counts too");
    }

    [Fact]
    public void Symbolic_link_on_the_way_to_a_protected_path_is_refused()
    {
        using var git = new Git();
        var repo = git.Init("proj");
        var real = Directory.CreateDirectory(Path.Join(repo, "real")).FullName;
        Directory.CreateSymbolicLink(Path.Join(repo, "link"), real);
        git.Run(repo, "config", "core.hooksPath", "link/hooks");
        var error = Assert.Throws<PolicyException>(() => Discover(git, repo));
        Assert.Contains($"'{repo}/link' is a symbolic link", error.Message, StringComparison.Ordinal);
    }
}
