using System.Diagnostics;
using Nono.Supervisor.Git;

namespace Nono.Supervisor.Tests.Git;

/// <summary>The sanitised git configuration, read back by the real git with the variables a sandboxed program gets.</summary>
public sealed class GitSessionConfigTests : IDisposable
{
    private const string Token = "ghp_e2eTokenThatMustNeverLeak0123456789";
    private readonly TestHost _host = new();

    [Fact]
    public void Identity_and_safe_settings_are_kept_and_secrets_and_commands_are_left_out()
    {
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig"), $$"""
            [user]
                name = Ada Lovelace
                email = ada@example.com
                signingKey = ~/.ssh/id_ed25519.pub
            [include]
                path = .gitconfig-extra
            [credential]
                helper = store
            [credential "https://github.com"]
                helper = !gh auth git-credential
            [url "https://x-access-token:{{Token}}@github.com/"]
                insteadOf = https://github.com/
            [url "git@github.com:"]
                pushInsteadOf = https://github.com/
            [core]
                fsmonitor = /tmp/evil
                sshCommand = ssh -i ~/.ssh/other
                pager = delta
                editor = code --wait
                autocrlf = input
            [diff]
                external = /tmp/evil-diff
                colorMoved = zebra
            [filter "lfs"]
                process = git-lfs filter-process
            [http]
                extraHeader = Authorization: Bearer {{Token}}
            [alias]
                st = status --short
                boom = !rm -rf /
                sneaky = -c core.fsmonitor=/tmp/evil status
            [init]
                defaultBranch = trunk
                templateDir = ~/.git-templates
            [commit]
                gpgSign = true
            """);
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig-extra"), "[color]\n\tui = always\n[core]\n\thooksPath = ~/.githooks\n");

        var git = Write();
        var listed = GitList(git);

        Assert.Contains("user.name=Ada Lovelace", listed);
        Assert.Contains("user.email=ada@example.com", listed);
        Assert.Contains("color.ui=always", listed);
        Assert.Contains("core.autocrlf=input", listed);
        Assert.Contains("diff.colormoved=zebra", listed);
        Assert.Contains("alias.st=status --short", listed);
        Assert.Contains("init.defaultbranch=trunk", listed);
        Assert.Contains("url.git@github.com:.pushinsteadof=https://github.com/", listed);
        foreach (var gone in new[] { "credential", "fsmonitor", "sshcommand", "pager", "editor", "external", "filter.", "extraheader", "alias.boom", "alias.sneaky", "templatedir", "gpgsign", "signingkey", "hookspath", "x-access-token" })
        {
            Assert.DoesNotContain(listed, line => line.Contains(gone, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Contains("credential.helper", git.Report.Dropped);
        Assert.Contains("credential.*.helper", git.Report.Dropped);
        Assert.Contains("url.*.insteadof", git.Report.Dropped);
        Assert.DoesNotContain(git.Report.Dropped, name => name.Contains(Token, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(Path.Join(_host.Tmp, GitSessionConfig.DirectoryName)))
        {
            Assert.DoesNotContain(Token, File.ReadAllText(file), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Conditional_includes_are_still_decided_by_git_per_repository()
    {
        var work = Directory.CreateDirectory(Path.Join(_host.Home, "work", "repo")).FullName;
        RunGit(work, null, "init", "-q");
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig"), """
            [user]
                email = home@example.com
            [includeIf "gitdir:./work/"]
                path = .gitconfig-work
            """);
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig-work"), "[user]\n\temail = work@example.com\n[credential]\n\thelper = cache\n");

        var git = Write();

        Assert.Equal("work@example.com", RunGit(work, git, "config", "user.email").Trim());
        Assert.Equal("home@example.com", RunGit(_host.Root, git, "config", "user.email").Trim());
        Assert.DoesNotContain("credential", RunGit(work, git, "config", "--list"), StringComparison.Ordinal);
    }

    [Fact]
    public void Values_git_has_to_unquote_come_back_unchanged()
    {
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig"), "[alias]\n\tlg = \"log --format='%h \\\"%s\\\" # not a comment; nor this' \\\\ end\"\n[user]\n\tname = \"  Spaced  Name \"\n");

        var listed = GitList(Write());

        Assert.Contains("alias.lg=log --format='%h \"%s\" # not a comment; nor this' \\ end", listed);
        Assert.Contains("user.name=  Spaced  Name ", listed);
    }

    [Fact]
    public void A_file_git_would_refuse_contributes_nothing_and_is_reported()
    {
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig"), "[user]\n\tname = Ada\n[core\n\tpager = less\n");

        var git = Write();

        Assert.DoesNotContain(GitList(git), line => line.StartsWith("user.", StringComparison.Ordinal));
        Assert.Contains(git.Report.Problems, problem => problem.Contains(".gitconfig line 3", StringComparison.Ordinal));
    }

    [Fact]
    public void The_ignore_file_git_looks_for_under_the_home_is_copied()
    {
        _host.WriteFile(Path.Join(_host.ConfigHome, "git", "ignore"), "*.swp\n");
        _host.WriteFile(Path.Join(_host.Home, ".gitconfig"), "[user]\n\tname = Ada\n");

        var git = Write();
        var excludes = RunGit(_host.Root, git, "config", "core.excludesFile").Trim();

        Assert.StartsWith(Path.Join(_host.Tmp, GitSessionConfig.DirectoryName), excludes, StringComparison.Ordinal);
        Assert.Equal("*.swp\n", File.ReadAllText(excludes));
    }

    [Fact]
    public void Old_style_subsections_are_lower_cased_like_git_does()
    {
        var entries = GitConfigParser.Parse("[Branch.Main]\n\tRemote = origin\n[url \"Https://Example\"] insteadOf\n", "f");

        Assert.Equal("branch.main.remote", entries[0].Name);
        Assert.Equal(("url", "Https://Example", "insteadof", (string?)null), (entries[1].Section, entries[1].Subsection, entries[1].Key, entries[1].Value));
    }

    public void Dispose() => _host.Dispose();

    private GitSessionConfig Write() => GitSessionConfig.Write(_host.Home, _host.Environment.Variables, _host.Tmp);

    private List<string> GitList(GitSessionConfig git) =>
        [.. RunGit(_host.Root, git, "config", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The real git, with only the variables nono gives a sandboxed program for its configuration.</summary>
    private string RunGit(string directory, GitSessionConfig? git, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = _host.Home;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = git is null ? "1" : null;
        foreach (var (name, value) in git?.Variables ?? [])
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode is 0 or 1, $"git {string.Join(' ', arguments)}: {error}");
        return output;
    }
}
