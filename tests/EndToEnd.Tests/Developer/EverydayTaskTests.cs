namespace Nono.EndToEnd.Tests.Developer;

/// <summary>
/// A developer's everyday work under `nono run` with the default profile, in a project directory of
/// a home that looks like theirs (<see cref="DeveloperHome"/>). Each task must run without a warning
/// from the sandbox; one whose tool this machine lacks is skipped, saying so.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EverydayTaskTests : IDisposable
{
    private readonly DeveloperHome _home = new();

    [Fact]
    public async Task Git_commits_as_the_user_with_the_settings_of_their_gitconfig()
    {
        Need("git");
        _home.File("README", "hello\n");

        var result = await _home.RunAsync("git init -q && git add README && git commit -qm first && git log -1 --format='%an <%ae>' && git st && git branch --show-current");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Ada Lovelace <ada@example.com>", "main"], result.Stdout.Split('\n'));
        AssertQuiet(result);
    }

    [Fact]
    public async Task Git_status_works_without_warnings()
    {
        Need("git");
        _home.File("a.txt", "a\n");

        var result = await _home.RunAsync("git init -q && git status --short");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("?? a.txt", result.Stdout);
        AssertQuiet(result);
    }

    [Fact]
    public async Task Make_builds_a_c_program_with_gcc()
    {
        Need("make", "gcc");
        _home.File("hello.c", "#include <stdio.h>\nint main(void) { puts(\"built-and-ran\"); return 0; }\n");
        _home.File("Makefile", "hello: hello.c\n\tgcc -o hello hello.c\n");

        var result = await _home.RunAsync("make -s && ./hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("built-and-ran", result.Stdout);
    }

    [Fact]
    public async Task Python_from_the_path_runs_through_its_version_manager_shim()
    {
        var python = Need("python3");

        // A shell that may not execute the shim quietly moves on to the next python3 on PATH, so the
        // interpreter's prefix shows which one ran.
        var result = await _home.RunAsync("python3 -c 'import sys; print(6 * 7); print(sys.prefix)'");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Equal("42", lines[0]);
        if (python.StartsWith(_home.Home, StringComparison.Ordinal))
        {
            Assert.Contains("/.pyenv/versions/", lines[1], StringComparison.Ordinal);
        }

        AssertQuiet(result);
    }

    [Fact]
    public async Task A_virtual_environment_is_made_and_used_in_the_project()
    {
        Need("python3");

        var result = await _home.RunAsync("python3 -m venv .venv && .venv/bin/python -c 'import sys; print(sys.prefix != sys.base_prefix)'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("True", result.Stdout);
    }

    [Fact]
    public async Task Node_runs_a_script()
    {
        Need("node");

        var result = await _home.RunAsync("node -e 'console.log(6 * 7)'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("42", result.Stdout);
    }

    [Fact]
    public async Task Npm_init_writes_a_package_file()
    {
        Need("npm");

        var result = await _home.RunAsync("npm init -y >/dev/null && node -p 'require(\"./package.json\").name'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("project", result.Stdout);
    }

    [Fact]
    public async Task Javac_compiles_and_java_runs()
    {
        Need("javac", "java");
        _home.File("Hello.java", "class Hello { public static void main(String[] a) { System.out.println(\"java-\" + (6 * 7)); } }\n");

        var result = await _home.RunAsync("javac Hello.java && java -cp . Hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("java-42", result.Stdout);
    }

    [Fact]
    public async Task Cargo_builds_a_crate_offline()
    {
        Need("cargo");
        _home.File("Cargo.toml", "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        _home.File("src/main.rs", "fn main() { println!(\"rust-{}\", 6 * 7); }\n");

        var result = await _home.RunAsync("cargo build -q --offline && ./target/debug/demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("rust-42", result.Stdout);
    }

    [Fact]
    public async Task Dotnet_runs()
    {
        Need("dotnet");

        var result = await _home.RunAsync("dotnet --list-sdks", new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Stored_git_credentials_and_tokens_in_the_gitconfig_cannot_be_read()
    {
        Need("git");

        var result = await _home.RunAsync(
            "cat ~/.git-credentials; printf 'protocol=https\\nhost=github.com\\n\\n' | GIT_TERMINAL_PROMPT=0 git credential fill; "
            + "git config --list --show-origin; cat \"$GIT_CONFIG_GLOBAL\"; grep -r . ~/.gitconfig; echo end");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("end", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("user.name=Ada Lovelace", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(DeveloperHome.StoredPassword, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(DeveloperHome.Token, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("credential.helper", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();

    /// <summary>Skips the test when this machine lacks a tool; returns where the first one is.</summary>
    private string Need(params string[] tools)
    {
        var found = tools.Select(tool => (tool, path: _home.Find(tool))).ToArray();
        var missing = found.Where(pair => pair.path is null).Select(pair => pair.tool).ToArray();
        Assert.SkipWhen(missing.Length > 0, $"not installed on this machine: {string.Join(", ", missing)}");
        return found[0].path!;
    }

    /// <summary>Nothing on stderr but nono's own start and end lines: no 'Permission denied', no git warning.</summary>
    private static void AssertQuiet(RunResult result)
    {
        var foreign = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("nono: ", StringComparison.Ordinal)).ToArray();
        Assert.True(foreign.Length == 0, result.ToString());
        Assert.DoesNotContain("denied", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
