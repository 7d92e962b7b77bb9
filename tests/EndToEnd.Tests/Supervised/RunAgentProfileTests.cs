namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>The agent profiles (claude-code, codex) grant the agent's own state and the user's git
/// configuration; what git keeps secret there stays out of reach.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunAgentProfileTests
{
    [Theory]
    [InlineData("claude-code")]
    [InlineData("codex")]
    public async Task Git_credential_store_under_the_xdg_config_directory_is_hidden(string profile)
    {
        using var temp = new TempTree();
        var home = temp.Dir("home");
        temp.Dir("home/.claude");
        temp.File("home/.claude.json", "{}\n");
        temp.Dir("home/.codex");
        temp.File("home/.config/git/config", "[user]\n\tname = E2E\n");
        temp.File("home/.config/git/credentials", "https://user:ghp_e2e_secret@github.com\n");
        var work = temp.Dir("work");

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--profile", profile, "--", "/bin/sh", "-c", $"cat {home}/.config/git/config; cat {home}/.config/git/credentials || echo hidden"],
            new Dictionary<string, string?> { ["HOME"] = home, ["XDG_CONFIG_HOME"] = Path.Join(home, ".config") },
            work);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("name = E2E", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("hidden", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_e2e_secret", result.Stdout, StringComparison.Ordinal);
    }
}
