using Nono.Sandbox.Persistence;

namespace Nono.Sandbox.Tests.Persistence;

public sealed class ConfigDisablerTests
{
    [Fact]
    public void Disabled_settings_are_gone_for_git_and_the_rest_keep_their_section()
    {
        using var git = new Git();
        var file = Path.Join(git.Root, "config");
        var text = "[alias]\n\tst = status\n[core] fsmonitor = /x/monitor\n\tpager = less \\\n -R\n\tbare = false\n[alias]\n\tevil = !touch /x\n";
        var config = GitConfigFile.Parse(text);
        var flagged = config.Entries.Where(entry => CommandSettings.Of(entry) is not null).ToArray();
        Assert.Equal(["core.fsmonitor", "core.pager", "alias.evil"], flagged.Select(entry => entry.Name));

        File.WriteAllText(file, ConfigDisabler.Disable(config, flagged));
        var listed = git.Run(git.Root, "config", "--file", file, "--list");
        Assert.Equal("alias.st=status\ncore.bare=false\n", listed);

        // The documented restore: remove the marker.
        File.WriteAllText(file, File.ReadAllText(file).Replace(ConfigDisabler.Marker, string.Empty, StringComparison.Ordinal));
        Assert.Equal("/x/monitor", git.Run(git.Root, "config", "--file", file, "core.fsmonitor").Trim());
        Assert.Equal("!touch /x", git.Run(git.Root, "config", "--file", file, "alias.evil").Trim());
    }

    [Theory]
    [InlineData("core", null, "fsmonitor", "/tmp/m", true)]
    [InlineData("core", null, "fsmonitor", "true", false)]
    [InlineData("core", null, "hookspath", ".husky", true)]
    [InlineData("filter", "lfs", "smudge", "x", true)]
    [InlineData("alias", null, "ok", "status -s", false)]
    [InlineData("alias", null, "bad", " !sh", true)]
    [InlineData("credential", null, "helper", "store", true)]
    [InlineData("credential", "https://x", "helper", "store", true)]
    [InlineData("pager", null, "log", "false", false)]
    [InlineData("pager", "x", "log", "less", false)]
    [InlineData("core", null, "filemode", "true", false)]
    [InlineData("remote", "origin", "url", "https://x", false)]
    [InlineData("remote", "origin", "uploadpack", "sh -c x", true)]
    [InlineData("include", null, "path", "../x", true)]
    [InlineData("includeif", "gitdir:/x", "path", "../x", true)]
    [InlineData("submodule", "m", "update", "!sh", true)]
    [InlineData("diff", "any", "textconv", "sh", true)]
    public void Command_settings_are_recognised(string section, string? subsection, string key, string value, bool runs) =>
        Assert.Equal(runs, CommandSettings.Of(new GitConfigEntry(section, subsection, key, value, 1, 0, 0, 0)) is not null);
}
