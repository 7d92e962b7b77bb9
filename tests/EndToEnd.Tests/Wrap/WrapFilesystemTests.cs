namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>`nono wrap` filesystem confinement: every refusal is paired with the granted case.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapFilesystemTests : IDisposable
{
    private readonly TempTree _tree = new();

    [Fact]
    public async Task Reading_outside_the_grants_is_denied()
    {
        var outside = _tree.File("outside/secret.txt");
        var granted = _tree.File("granted/notes.txt");

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", Path.GetDirectoryName(granted)!], "read", outside), ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--read", Path.GetDirectoryName(granted)!], "read", granted));
    }

    [Fact]
    public async Task Ssh_keys_inside_a_granted_home_are_hidden()
    {
        var home = _tree.Dir("home");
        var key = _tree.File("home/.ssh/id_ed25519", "PRIVATE KEY\n");
        var netrc = _tree.File("home/.netrc", "machine example.com password hunter2\n");
        var notes = _tree.File("home/notes.txt");
        var environment = new Dictionary<string, string?> { ["HOME"] = home };

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", home], environment, "read", key));
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", home], environment, "read", netrc));
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--read", home], environment, "read", notes));
        ProbeAssert.Allowed(await Run.BareProbeAsync("read", key));
    }

    [Fact]
    public async Task Writable_home_is_refused_as_by_run_even_when_every_credential_path_exists()
    {
        // With every sensitive path present nothing is left to create, but .bashrc and the other
        // start-up files would still be writable: wrap refuses the home as run does.
        var home = _tree.Dir("home");
        string[] sensitive =
        [
            ".ssh", ".aws", ".gnupg", ".config/gcloud", ".kube", ".docker", ".azure", ".netrc", ".git-credentials", ".pgpass", ".npmrc",
            ".pypirc", ".config/gh", ".local/share/keyrings", ".password-store", ".bash_history", ".zsh_history", ".python_history",
            ".node_repl_history", ".psql_history", ".mysql_history", ".local/share/fish/fish_history",
        ];
        foreach (var relative in sensitive)
        {
            _tree.Dir(Path.Join("home", relative));
        }

        var environment = new Dictionary<string, string?> { ["HOME"] = home };
        var wrapped = await Run.WrappedProbeAsync(["--allow", home], environment, "write", Path.Join(home, ".bashrc"));
        var run = await Run.ProcessAsync(NonoBinary.Path, ["run", "--allow", home, "--dry-run", "--", "/bin/true"], environment, _tree.Dir("home/project"));

        Assert.Equal(2, wrapped.ExitCode);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("write access to your home directory", wrapped.Stderr, StringComparison.Ordinal);
        Assert.Equal(run.Stderr, wrapped.Stderr);
        Assert.False(File.Exists(Path.Join(home, ".bashrc")));
    }

    [Fact]
    public async Task Writable_grant_over_missing_credential_paths_is_refused_listing_them_all()
    {
        // ~/.config/gcloud and ~/.config/gh do not exist: under a writable grant the program could
        // create them for the host to use later. One refusal names both and the command that fixes it.
        var home = _tree.Dir("home");
        var config = _tree.Dir("home/.config");
        var environment = new Dictionary<string, string?> { ["HOME"] = home };

        var refused = await Run.WrappedProbeAsync(["--allow", config], environment, "write", Path.Join(config, "gh", "hosts.yml"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(Path.Join(config, "gcloud"), refused.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Join(config, "gh"), refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("mkdir -p -m 700", refused.Stderr, StringComparison.Ordinal);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Join(config, "gh")));
    }

    [Fact]
    public async Task Ssh_keys_stay_hidden_when_home_is_reached_through_a_symlink()
    {
        var realHome = _tree.Dir("real/home");
        var key = _tree.File("real/home/.ssh/id_ed25519", "PRIVATE KEY\n");
        var linkedHome = Path.Join(_tree.Root, "home-link");
        Directory.CreateSymbolicLink(linkedHome, realHome);
        var environment = new Dictionary<string, string?> { ["HOME"] = linkedHome };

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", realHome], environment, "read", key));
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", linkedHome], environment, "read", Path.Join(linkedHome, ".ssh", "id_ed25519")));
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--read", realHome], environment, "read", _tree.File("real/home/readme")));
    }

    [Fact]
    public async Task Explicit_deny_inside_a_grant_is_hidden()
    {
        var project = _tree.Dir("project");
        var secret = _tree.File("project/secrets/token.txt");
        var source = _tree.File("project/src/main.c");

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", project, "--deny", Path.Join(project, "secrets")], "read", secret));
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--read", project, "--deny", Path.Join(project, "secrets")], "read", source));
    }

    [Fact]
    public async Task Writing_outside_the_write_grants_is_denied()
    {
        var readOnly = _tree.Dir("readonly");
        var writable = _tree.Dir("writable");

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", readOnly], "write", Path.Join(readOnly, "new.txt")), ProbeAssert.EACCES);
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", readOnly], "truncate", _tree.File("readonly/existing.txt")), ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--write", writable], "write", Path.Join(writable, "new.txt")));
        Assert.True(File.Exists(Path.Join(writable, "new.txt")));
    }

    [Fact]
    public async Task Write_only_grant_cannot_be_read()
    {
        var drop = _tree.Dir("drop");
        var existing = _tree.File("drop/existing.txt");

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--write", drop], "read", existing), ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow", drop], "read", existing));
    }

    [Fact]
    public async Task Executing_from_a_grant_without_execute_is_denied()
    {
        var tools = _tree.Dir("tools");
        var copy = Path.Join(tools, "true");
        File.Copy("/bin/true", copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);

        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--write", tools], "exec", copy), ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--allow", tools], "exec", copy));
    }

    [Fact]
    public async Task Single_file_grants_reach_only_that_file()
    {
        var one = _tree.File("files/one.txt");
        var two = _tree.File("files/two.txt");

        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--read-file", one], "read", one));
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read-file", one], "read", two), ProbeAssert.EACCES);
        ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read-file", one], "write", one), ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--write-file", two], "write", two));
    }

    [Fact]
    public async Task System_secrets_are_not_readable_but_system_files_are()
    {
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "read", "/etc/shadow"), ProbeAssert.EACCES);
        ProbeAssert.Allowed(await Run.WrappedProbeAsync([], "read", "/etc/passwd"));
        ProbeAssert.Allowed(await Run.WrappedProbeAsync([], "read", "/usr/bin/env"));
        ProbeAssert.Allowed(await Run.BareProbeAsync("read", "/etc/shadow"));
    }

    [Fact]
    public async Task Host_tmp_is_not_shared_but_the_private_temp_directory_is_writable()
    {
        ProbeAssert.Denied(await Run.WrappedProbeAsync([], "write", Path.Join(_tree.Root, "dropped.txt")), ProbeAssert.EACCES);

        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--", "/bin/sh", "-c", "echo data > \"$TMPDIR/nono-e2e-check\" && cat \"$TMPDIR/nono-e2e-check\""]);
        Assert.True(result.ExitCode == 0 && result.Stdout == "data", result.ToString());
    }

    public void Dispose() => _tree.Dispose();
}
