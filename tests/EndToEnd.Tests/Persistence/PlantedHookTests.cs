namespace Nono.EndToEnd.Tests.Persistence;

/// <summary>
/// A hostile program under `nono run` (default profile, the project is the working directory) tries
/// to leave code that the user's next ordinary git command outside the sandbox would run. Each test
/// then does that git work outside and checks that no marker appeared.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlantedHookTests
{
    [Fact]
    public async Task Pre_commit_hook_cannot_be_planted_by_writing_renaming_or_replacing_git()
    {
        using var git = new GitFixture();
        var result = await git.Inside($"""
            printf '{git.HookScript("pre-commit")}' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit
            mv .git/hooks .git/old-hooks; rm -rf .git/hooks; mkdir -p .git/hooks
            mv .git .git-moved && mkdir -p .git/hooks && printf '{git.HookScript("moved-git")}' > .git/hooks/pre-commit
            cp -r .git /tmp/copy 2>/dev/null; ln -s /tmp/copy .git 2>/dev/null
            echo attempted
            """);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Device or resource busy", result.Stderr, StringComparison.Ordinal);

        await git.OrdinaryGitWork(git.Project);
        Assert.Empty(git.MarkersLeft());
        Assert.False(File.Exists(Path.Join(git.Project, ".git/hooks/pre-commit")));
    }

    [Fact]
    public async Task Hook_in_the_directory_an_existing_hooks_path_names_cannot_be_planted()
    {
        using var git = new GitFixture();
        Directory.CreateDirectory(Path.Join(git.Project, ".husky"));
        await git.Outside(git.Project, "config", "core.hooksPath", ".husky");
        var result = await git.Inside($"""
            printf '{git.HookScript("husky")}' > .husky/pre-commit; chmod +x .husky/pre-commit
            mv .husky .husky-old && mkdir .husky && printf '{git.HookScript("husky-replaced")}' > .husky/pre-commit && chmod +x .husky/pre-commit
            echo attempted
            """);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);

        await git.OrdinaryGitWork(git.Project);
        Assert.Empty(git.MarkersLeft());
    }

    [Fact]
    public async Task Absent_hooks_path_directory_is_created_read_only_instead_of_left_to_the_program()
    {
        using var git = new GitFixture();
        await git.Outside(git.Project, "config", "core.hooksPath", ".githooks");
        await git.Inside($"mkdir -p .githooks; printf '{git.HookScript("githooks")}' > .githooks/pre-commit; chmod +x .githooks/pre-commit");

        await git.OrdinaryGitWork(git.Project);
        Assert.Empty(git.MarkersLeft());
    }

    [Fact]
    public async Task Fsmonitor_cannot_be_set_in_the_repository_configuration()
    {
        using var git = new GitFixture();
        var result = await git.Inside($"""
            git config core.fsmonitor '{git.Touch("fsmonitor")}; false'
            printf '[core]\n\tfsmonitor = "{git.Touch("appended")}; false"\n' >> .git/config
            cp .git/config /tmp/c && printf '[core]\n\tfsmonitor = "{git.Touch("replaced")}; false"\n' >> /tmp/c && mv /tmp/c .git/config
            printf 'gitdir: /tmp\n' > .git/commondir
            echo attempted
            """);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);

        await git.OrdinaryGitWork(git.Project);
        Assert.Empty(git.MarkersLeft());
        Assert.DoesNotContain("fsmonitor", File.ReadAllText(Path.Join(git.Project, ".git/config")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_worktree_cannot_be_pointed_at_planted_hooks()
    {
        using var git = new GitFixture();
        await git.Outside(git.Project, "worktree", "add", "-q", "trees/feature");
        var tree = Path.Join(git.Project, "trees/feature");
        var result = await git.Inside($"""
            mkdir -p evil && cp -r .git/worktrees/feature evil/gitdir
            mkdir -p evil/common/hooks && printf '{git.HookScript("worktree")}' > evil/common/hooks/pre-commit && chmod +x evil/common/hooks/pre-commit
            printf 'gitdir: {git.Project}/evil/gitdir\n' > trees/feature/.git
            printf '../../../evil/common\n' > .git/worktrees/feature/commondir
            mv trees trees-old && mkdir -p trees/feature && printf 'gitdir: {git.Project}/evil/gitdir\n' > trees/feature/.git
            echo attempted
            """);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);

        await git.OrdinaryGitWork(tree);
        Assert.Empty(git.MarkersLeft());
    }

    [Fact]
    public async Task Submodule_hooks_and_configuration_cannot_be_planted()
    {
        using var git = new GitFixture();
        var library = Path.Join(git.Home, "library");
        Directory.CreateDirectory(library);
        await git.Outside(library, "init", "-q");
        File.WriteAllText(Path.Join(library, "file.txt"), "lib\n");
        await git.Outside(library, "add", "file.txt");
        await git.Outside(library, "commit", "-q", "-m", "lib");
        await git.Outside(git.Project, "submodule", "add", "-q", library, "vendor/lib");
        await git.Outside(git.Project, "commit", "-q", "-m", "add submodule");
        var result = await git.Inside($"""
            printf '{git.HookScript("submodule-hook")}' > .git/modules/vendor/lib/hooks/pre-commit; chmod +x .git/modules/vendor/lib/hooks/pre-commit
            printf '[core]\n\tfsmonitor = "{git.Touch("submodule-fsmonitor")}; false"\n' >> .git/modules/vendor/lib/config
            mv vendor vendor-old; mv vendor/lib vendor/lib-old
            echo attempted
            """);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);

        await git.OrdinaryGitWork(Path.Join(git.Project, "vendor/lib"));
        await git.Outside(git.Project, "status");
        Assert.Empty(git.MarkersLeft());
    }

    [Fact]
    public async Task Wrap_with_a_writable_project_keeps_its_hooks_and_configuration_read_only()
    {
        using var git = new GitFixture();
        var script = $"""
            printf '{git.HookScript("wrap-hook")}' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit
            printf '[core]\n\tfsmonitor = {git.Touch("wrap-fsmonitor")}\n' >> .git/config
            echo attempted
            """;
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--allow-cwd", "--", "/bin/sh", "-c", script], git.Environment, git.Project);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", result.Stderr, StringComparison.Ordinal);

        await git.OrdinaryGitWork(git.Project);
        Assert.Empty(git.MarkersLeft());
    }

    [Fact]
    public async Task Git_configuration_and_autostart_under_a_writable_config_directory_stay_read_only()
    {
        using var git = new GitFixture();
        var config = Path.Join(git.Home, ".config");
        Directory.CreateDirectory(Path.Join(config, "git"));
        const string Original = "[color]\n\tui = auto\n";
        File.WriteAllText(Path.Join(config, "git", "config"), Original);

        // Credentials under a writable grant must exist for nono to hide them (it refuses otherwise).
        Directory.CreateDirectory(Path.Join(config, "gcloud"));
        Directory.CreateDirectory(Path.Join(config, "gh"));
        File.WriteAllText(Path.Join(config, "git", "credentials"), string.Empty);
        var script = $"""
            printf '[core]\n\tpager = {git.Touch("global-pager")}\n' >> {config}/git/config
            mkdir -p {config}/autostart && printf '[Desktop Entry]\nExec={git.Touch("autostart")}\n' > {config}/autostart/evil.desktop
            mv {config}/git {config}/git-old
            echo attempted
            """;
        var result = await Run.ProcessAsync(NonoBinary.Path, ["run", "--allow", config, "--", "/bin/sh", "-c", script], git.Environment, git.Project);
        Assert.Contains("attempted", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(Original, File.ReadAllText(Path.Join(config, "git", "config")));
        Assert.False(File.Exists(Path.Join(config, "autostart", "evil.desktop")));
        Assert.True(Directory.Exists(Path.Join(config, "autostart")), "the absent autostart directory was created, empty, to be made read-only");
    }
}
