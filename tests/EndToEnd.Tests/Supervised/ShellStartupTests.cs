namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono shell` in a real terminal starts without complaints about start-up files and shows that it is sandboxed.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ShellStartupTests
{
    [Theory]
    [InlineData("/bin/bash")]
    [InlineData("/bin/sh")]
    [InlineData("/usr/bin/zsh")]
    [InlineData("/usr/bin/fish")]
    public async Task The_shell_starts_with_no_error_line_and_a_sandbox_prompt(string shell)
    {
        Assert.SkipUnless(File.Exists(shell), $"{shell} is not installed on this machine");
        Assert.SkipWhen(shell == "/bin/bash" && !File.Exists("/root/.bashrc"), "the home has no ~/.bashrc for bash to trip over");
        await using var tmux = await Tmux.StartAsync();

        await tmux.TypeAsync($"clear; SHELL={shell} {NonoBinary.Path} shell");
        await tmux.WaitForAsync("(nono) ");
        // Quoted so that the typed line differs from its output, in every shell's syntax (fish has no $((...))).
        await tmux.TypeAsync("echo inside-\"ran\"");
        await tmux.WaitForAsync("inside-ran");
        var screen = await tmux.ScreenAsync();
        var outerPrompts = Tmux.Count(screen, "outer$");
        await tmux.TypeAsync("exit");
        await tmux.WaitForAsync("outer$", outerPrompts + 1);

        var lines = screen.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0).ToArray();
        Assert.DoesNotContain(lines, line => line.Contains("denied", StringComparison.OrdinalIgnoreCase) || line.Contains("No such file", StringComparison.Ordinal) || line.Contains("error", StringComparison.OrdinalIgnoreCase));
        Assert.All(lines.Where(line => !line.StartsWith("outer$", StringComparison.Ordinal) && !line.StartsWith("nono: ", StringComparison.Ordinal)),
            line => Assert.True(line.StartsWith("(nono) ", StringComparison.Ordinal) || line == "inside-ran", $"unexpected line in the shell: '{line}'\n{screen}"));
    }
}
