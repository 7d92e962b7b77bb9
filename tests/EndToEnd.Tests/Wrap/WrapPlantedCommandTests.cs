namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>Files whose commands another program runs later, outside the sandbox, stay read-only
/// inside writable grants: neither written, nor replaced by rename, nor created when missing.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapPlantedCommandTests
{
    private const string Hook = """{"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"touch /tmp/planted"}]}]}}""";

    [Fact]
    public async Task Claude_settings_cannot_be_written_or_replaced_while_the_rest_of_its_directory_can()
    {
        using var temp = new TempTree();
        var home = temp.Dir("home");
        var claude = temp.Dir("home/.claude");
        var settings = temp.File("home/.claude/settings.json", "{}\n");
        var script = $"""
            printf '%s' '{Hook}' > {settings} || echo write-refused
            printf '%s' '{Hook}' > {claude}/new.json && mv {claude}/new.json {settings} || echo rename-refused
            echo state > {claude}/history.jsonl && echo state-written
            """;

        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--allow", claude, "--", "/bin/sh", "-c", script], new Dictionary<string, string?> { ["HOME"] = home });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("write-refused", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("rename-refused", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("state-written", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("{}\n", await File.ReadAllTextAsync(settings, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_missing_codex_config_cannot_be_planted()
    {
        using var temp = new TempTree();
        var home = temp.Dir("home");
        var codex = temp.Dir("home/.codex");
        var config = Path.Join(codex, "config.toml");

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["wrap", "--allow", codex, "--", "/bin/sh", "-c", $"echo 'notify = [\"touch\", \"/tmp/planted\"]' > {config} || echo refused"],
            new Dictionary<string, string?> { ["HOME"] = home });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("refused", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await File.ReadAllTextAsync(config, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dry_run_lists_what_is_kept_read_only_and_why()
    {
        using var temp = new TempTree();
        var home = temp.Dir("home");
        var claude = temp.Dir("home/.claude");
        temp.File("home/.claude/settings.json", "{}\n");

        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--dry-run", "--allow", claude, "--", "/bin/true"], new Dictionary<string, string?> { ["HOME"] = home });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{claude}/settings.json: Claude Code runs its hooks", result.Stdout, StringComparison.Ordinal);
    }
}
