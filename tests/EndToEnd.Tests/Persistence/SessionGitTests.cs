using System.Text.Json;

namespace Nono.EndToEnd.Tests.Persistence;

/// <summary>Git keeps working inside the protected repository; repositories the program creates are
/// scanned when the session ends; the flag, the dry run and the refusal without namespaces.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SessionGitTests
{
    [Fact]
    public async Task Everyday_git_work_inside_keeps_working_and_a_configuration_change_says_why_it_fails()
    {
        using var git = new GitFixture();
        var result = await git.Inside("""
            set -e
            echo two >> file.txt && git add file.txt && git commit -q -m inside
            git branch side && git tag v1 && git checkout -q -b feature
            echo f > feature.txt && git add feature.txt && git commit -q -m feature
            git checkout -q main && git merge -q --no-edit feature
            git checkout -q -b topic HEAD~1 && echo t > topic.txt && git add topic.txt && git commit -q -m topic && git rebase -q main
            echo dirty >> file.txt && git stash -q && git stash pop -q && git checkout -q file.txt
            git log --oneline | wc -l; git diff main --stat | tail -1
            git config user.name Someone || echo config-refused
            """);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("config-refused", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--allow-persistence", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("read-only in this session", result.Stderr, StringComparison.Ordinal);
        var log = await git.Outside(git.Project, "log", "--oneline", "--all");
        Assert.Contains("topic", log.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_made_inside_with_a_planted_hook_and_settings_is_reported_and_cannot_run()
    {
        using var git = new GitFixture();
        var audit = Path.Join(git.Markers, "..", "audit.jsonl");
        var result = await git.Inside(
            $"""
            git clone -q . clone
            printf '{git.HookScript("clone-hook")}' > clone/.git/hooks/pre-commit && chmod +x clone/.git/hooks/pre-commit
            git -C clone config core.fsmonitor '{git.Touch("clone-fsmonitor")}; false'
            git -C clone config alias.st '!{git.Touch("clone-alias")}'
            git init -q fresh && printf '[core] pager = "{git.Touch("fresh-pager")}; cat"\n' >> fresh/.git/config
            """,
            null,
            "--audit-log", audit);
        Assert.True(result.ExitCode == 0, result.ToString());
        var clone = Path.Join(git.Project, "clone");
        Assert.Contains($"hook {clone}/.git/hooks/pre-commit: renamed to pre-commit.nono-disabled", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("core.fsmonitor", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("alias.st", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("core.pager", result.Stderr, StringComparison.Ordinal);
        var events = File.ReadAllLines(audit).Select(line => JsonDocument.Parse(line).RootElement).Where(e => e.GetProperty("event").GetString() == "persistence").ToArray();
        Assert.Equal(4, events.Length);
        Assert.All(events, e => Assert.True(e.GetProperty("disabled").GetBoolean()));

        await git.OrdinaryGitWork(clone);
        await git.Outside(Path.Join(git.Project, "fresh"), "status");
        var alias = await Run.ProcessAsync("git", ["st"], git.Environment, clone);
        Assert.NotEqual(0, alias.ExitCode);
        Assert.Empty(git.MarkersLeft());

        // The printed restore command puts the hook back, and then it runs: the hook was real.
        var restore = result.Stderr.Split('\n').First(line => line.Contains("mv -- ", StringComparison.Ordinal));
        var shell = await Run.ProcessAsync("/bin/sh", ["-c", restore[(restore.IndexOf("mv -- ", StringComparison.Ordinal))..]]);
        Assert.True(shell.ExitCode == 0, shell.ToString());
        await git.Outside(clone, "commit", "-q", "--allow-empty", "-m", "after restore");
        Assert.Equal(["clone-hook"], git.MarkersLeft());
    }

    [Fact]
    public async Task Allow_persistence_lets_a_trusted_program_write_a_hook()
    {
        using var git = new GitFixture();
        var result = await git.Inside($"printf '{git.HookScript("trusted")}' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit && echo written", null, "--allow-persistence");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("written", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("kept: --allow-persistence", result.Stderr, StringComparison.Ordinal);
        await git.Outside(git.Project, "commit", "-q", "--allow-empty", "-m", "x");
        Assert.Equal(["trusted"], git.MarkersLeft());
    }

    [Fact]
    public async Task Dry_run_lists_every_protected_path_with_its_reason()
    {
        using var git = new GitFixture();
        await git.Outside(git.Project, "config", "core.hooksPath", ".husky");
        var result = await Run.ProcessAsync(NonoBinary.Path, ["run", "--dry-run", "--", "true"], git.Environment, git.Project);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"  {git.Project}/.git/config: configuration of {git.Project}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  {git.Project}/.git/hooks: hooks of {git.Project}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  {git.Project}/.git (stays writable; cannot be renamed or removed): git directory of {git.Project}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  {git.Project}/.husky: core.hooksPath of {git.Project} names it: git runs the hooks in it (created empty)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  {git.Project}/.git/commondir (absent: reported and disabled when a session ends, if created)", result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(git.Project, ".husky")), "a dry run changes nothing");
    }

    [Fact]
    public async Task Without_user_namespaces_the_protection_is_refused_with_what_to_do()
    {
        using var git = new GitFixture();
        var environment = new Dictionary<string, string?>(git.Environment) { ["NONO_TEST_DISABLE_USERNS"] = "1" };
        var result = await Run.ProcessAsync(NonoBinary.Path, ["run", "--", "true"], environment, git.Project);
        Assert.Equal(126, result.ExitCode);
        Assert.Contains("mount namespace", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-persistence", result.Stderr, StringComparison.Ordinal);
        var wrap = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--allow-cwd", "--", "true"], environment, git.Project);
        Assert.Equal(126, wrap.ExitCode);
        var allowed = await Run.ProcessAsync(NonoBinary.Path, ["run", "--allow-persistence", "--", "true"], environment, git.Project);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }
}
