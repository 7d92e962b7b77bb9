namespace Nono.EndToEnd.Tests.Developer;

/// <summary>
/// A home directory that looks like a developer's: a ~/.gitconfig with an identity, an include, a
/// credential helper and a token in a URL; ~/.git-credentials; the toolchains of this machine's own
/// home (pyenv, rustup and cargo, linked in, so their shims run exactly as they do for the user) and
/// on PATH in front of the system's; and a project directory to work in.
/// </summary>
internal sealed class DeveloperHome : IDisposable
{
    public const string Token = "ghp_fixtureTokenThatMustNeverBeRead0123456789";
    public const string StoredPassword = "hunter2-stored-in-git-credentials";

    /// <summary>Toolchain roots linked from the real home when it has them, and their PATH directories.</summary>
    private static readonly (string Root, string Bin)[] Toolchains = [(".pyenv", ".pyenv/shims"), (".rustup", ""), (".cargo", ".cargo/bin")];

    private readonly TempTree _tree = new();

    public DeveloperHome()
    {
        Home = _tree.Dir("home/dev");
        Project = _tree.Dir("home/dev/project");
        _tree.File("home/dev/.gitconfig", $$"""
            [user]
                name = Ada Lovelace
                email = ada@example.com
            [include]
                path = ~/.config/git/extra
            [credential]
                helper = store
            [url "https://dev:{{Token}}@github.com/"]
                insteadOf = https://github.com/
            [core]
                pager = less -R
            """);
        _tree.File("home/dev/.config/git/extra", "[init]\n\tdefaultBranch = main\n[alias]\n\tst = status --short\n");
        _tree.File("home/dev/.git-credentials", $"https://dev:{StoredPassword}@github.com\n");

        var realHome = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var path = new List<string>();
        foreach (var (root, bin) in Toolchains)
        {
            var real = Path.Join(realHome, root);
            if (Directory.Exists(real))
            {
                Directory.CreateSymbolicLink(Path.Join(Home, root), real);
                if (bin.Length > 0)
                {
                    path.Add(Path.Join(Home, bin));
                }
            }
        }

        SearchPath = string.Join(':', [.. path, "/usr/local/bin", "/usr/bin", "/bin"]);
    }

    public string Home { get; }

    public string Project { get; }

    /// <summary>The fixture's PATH: its toolchains first, as a developer's shell start-up files arrange it.</summary>
    public string SearchPath { get; }

    /// <summary>The program <paramref name="name"/> as this home's PATH finds it, or null.</summary>
    public string? Find(string name) => SearchPath.Split(':').Select(directory => System.IO.Path.Join(directory, name)).FirstOrDefault(System.IO.File.Exists);

    /// <summary>`nono run -- /bin/sh -c SCRIPT` in the project directory under the default profile, with this home.</summary>
    public Task<RunResult> RunAsync(string script, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = Home,
            ["PATH"] = SearchPath,
            ["XDG_CONFIG_HOME"] = null,
            ["GIT_CONFIG_GLOBAL"] = null,
            ["GIT_CONFIG_NOSYSTEM"] = null,
            ["PYENV_ROOT"] = null,
            ["CARGO_HOME"] = null,
            ["RUSTUP_HOME"] = null,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return Run.ProcessAsync(NonoBinary.Path, ["run", "--", "/bin/sh", "-c", script], environment, Project);
    }

    public string File(string relativeToProject, string content) => _tree.File(System.IO.Path.Join("home/dev/project", relativeToProject), content);

    public void Dispose() => _tree.Dispose();
}
