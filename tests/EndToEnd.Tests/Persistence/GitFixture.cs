namespace Nono.EndToEnd.Tests.Persistence;

/// <summary>
/// A developer's project under a scratch home: a repository with one commit, the user's git identity in
/// ~/.gitconfig, and a marker directory that every planted command writes into. Git outside the
/// sandbox runs as the user's ordinary git would, with that home; inside, the program uses no
/// global configuration (the default profile does not grant the home).
/// </summary>
internal sealed class GitFixture : IDisposable
{
    // Not under /tmp: other tests run nono with /tmp as the (writable) working directory, and every
    // repository in there would be theirs to protect.
    private readonly string _root = Directory.CreateDirectory(Path.Join("/var/tmp", "nono-e2e-git-" + Guid.NewGuid().ToString("N"))).FullName;

    public GitFixture()
    {
        Home = Dir("home");
        Markers = Dir("markers");
        Project = Dir("home/project");
        File.WriteAllText(Path.Join(Home, ".gitconfig"), "[user]\n\tname = Dev\n\temail = dev@example.invalid\n[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n");
        Outside(Project, "init", "-q").Wait();
        File.WriteAllText(Path.Join(Project, "file.txt"), "one\n");
        Outside(Project, "add", "file.txt").Wait();
        Outside(Project, "commit", "-q", "-m", "first").Wait();
    }

    public string Home { get; }

    public string Project { get; }

    public string Markers { get; }

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["HOME"] = Home,
        ["XDG_CONFIG_HOME"] = null,
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = null,
        ["GIT_DIR"] = null,
        ["GIT_WORK_TREE"] = null,
    };

    /// <summary>A shell line that leaves a marker named <paramref name="name"/> when it runs.</summary>
    public string Touch(string name) => $"touch {Path.Join(Markers, name)}";

    /// <summary>A hook script body that leaves a marker.</summary>
    public string HookScript(string name) => $"#!/bin/sh\n{Touch(name)}\n";

    public string[] MarkersLeft() => [.. Directory.EnumerateFiles(Markers).Select(Path.GetFileName).OfType<string>()];

    /// <summary>The user's own git, outside any sandbox; fails the test when git fails.</summary>
    public async Task<RunResult> Outside(string directory, params string[] arguments)
    {
        var result = await Run.ProcessAsync("git", arguments, Environment, directory);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)} outside: {result}");
        return result;
    }

    /// <summary>`nono run [flags] -- /bin/sh -c SCRIPT` in <paramref name="directory"/> (the project by default).</summary>
    public Task<RunResult> Inside(string script, string? directory = null, params string[] flags) =>
        Run.ProcessAsync(
            NonoBinary.Path,
            ["run", .. flags, "--", "/bin/sh", "-c", "export GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Agent GIT_AUTHOR_EMAIL=agent@example.invalid GIT_COMMITTER_NAME=Agent GIT_COMMITTER_EMAIL=agent@example.invalid\n" + script],
            Environment,
            directory ?? Project);

    /// <summary>The user's next ordinary git commands: status, add, commit, log, push to a local remote.</summary>
    public async Task OrdinaryGitWork(string directory)
    {
        await Outside(directory, "status");
        File.AppendAllText(Path.Join(directory, "file.txt"), "user\n");
        await Outside(directory, "add", "file.txt");
        await Outside(directory, "commit", "-q", "-m", "user's commit");
        await Outside(directory, "diff", "HEAD~1");
        await Outside(directory, "log", "-1");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Dir(string relative) => Directory.CreateDirectory(Path.Join(_root, relative)).FullName;
}
