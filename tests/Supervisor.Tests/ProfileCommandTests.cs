using System.CommandLine;
using System.Diagnostics;
using Nono.Supervisor.Cli;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class ProfileCommandTests
{
    private static (int Exit, string Output, string Error) Invoke(TestHost host, params string[] args)
    {
        var root = new RootCommand("nono") { ProfileCommand.Create(() => host.Environment) };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void List_shows_built_in_and_user_profiles_with_source_and_description()
    {
        using var host = new TestHost();
        var mine = host.WriteUserProfile("mine", """{"description": "my own"}""");
        host.WriteUserProfile("codex", """{"extends": "codex", "description": "my codex"}""");
        host.WriteUserProfile("broken", "{\"nope\": 1}");

        var (exit, output, _) = Invoke(host, "profile", "list");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SOURCE\s+DESCRIPTION$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("claude-code ", StringComparison.Ordinal) && l.Contains(" built-in ", StringComparison.Ordinal) && l.EndsWith("Anthropic API and sign-in hosts", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("mine ", StringComparison.Ordinal) && l.Contains($"user: {mine}", StringComparison.Ordinal) && l.EndsWith("my own", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("codex ", StringComparison.Ordinal) && l.Contains("built-in (overridden by a user file)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("codex ", StringComparison.Ordinal) && l.EndsWith("my codex", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("broken ", StringComparison.Ordinal) && l.Contains("INVALID: ", StringComparison.Ordinal) && l.Contains("unknown key 'nope'", StringComparison.Ordinal));
    }

    [Fact]
    public void Show_prints_the_merged_profile_as_json_that_loads_as_a_profile()
    {
        using var host = new TestHost();
        host.WriteUserProfile("team", """{"extends": "claude-code", "network": {"allow_domain": ["team.example.com"]}}""");

        var (exit, output, error) = Invoke(host, "profile", "show", "team");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        var shown = host.WriteFile(Path.Join(host.Root, "shown.json"), output);
        var reloaded = ProfileResolver.Resolve(host.Store, shown).Spec;
        Assert.Equal(["api.anthropic.com", "console.anthropic.com", "platform.claude.com", "claude.ai", "team.example.com"], reloaded.Network.AllowDomain.Select(v => v.Value));
        Assert.Contains(reloaded.Filesystem, e => e.Raw == "$HOME/.claude" && e.Rule == PathRule.Allow);
        Assert.Contains(reloaded.Filesystem, e => e.Raw == "/usr" && e.Rule == PathRule.Read);
        Assert.DoesNotContain("extends", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_allow_domain_endpoints_and_deny_domain_so_that_they_load_again()
    {
        using var host = new TestHost();
        host.WriteUserProfile("rules", """
            {"network": {"allow_domain": ["*.example.com", {"domain": "api.github.com", "endpoints": [{"method": "GET", "path": "/repos/**"}]}],
                         "deny_domain": ["ads.example.com"]}}
            """);

        var (exit, output, error) = Invoke(host, "profile", "show", "rules");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        var shown = host.WriteFile(Path.Join(host.Root, "shown.json"), output);
        var reloaded = ProfileResolver.Resolve(host.Store, shown).Spec.Network;
        Assert.Equal(["*.example.com"], reloaded.AllowDomain.Select(v => v.Value));
        Assert.Equal(["ads.example.com"], reloaded.DenyDomain.Select(v => v.Value));
        var entry = Assert.Single(reloaded.DomainEndpoints);
        Assert.Equal("api.github.com", entry.Domain.Value);
        Assert.Equal([new Proxy.EndpointRule("GET", "/repos/**")], entry.Endpoints);
    }

    [Fact]
    public void Show_of_a_broken_profile_prints_the_error_and_fails()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("bad", "{\n  \"network\": {\"alow_domain\": []}\n}");

        var (exit, output, error) = Invoke(host, "profile", "show", "bad");

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith($"nono: {path}:2:15: unknown key 'network.alow_domain'", error);
    }

    [Fact]
    public void Show_without_a_name_is_a_usage_error()
    {
        using var host = new TestHost();

        var (exit, _, error) = Invoke(host, "profile", "show");

        Assert.NotEqual(0, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void The_published_binary_lists_and_shows_its_embedded_profiles()
    {
        var nono = Environment.GetEnvironmentVariable("NONO_BIN");
        Assert.SkipWhen(string.IsNullOrEmpty(nono), "NONO_BIN is not set (build/test.sh sets it after publishing)");
        using var host = new TestHost();
        host.WriteUserProfile("mine", """{"extends": "node-dev", "description": "mine"}""");

        var list = RunBinary(nono!, host, "profile", "list");
        var show = RunBinary(nono!, host, "profile", "show", "mine");
        var bad = RunBinary(nono!, host, "profile", "show", "./missing.json");

        Assert.Equal(0, list.Exit);
        Assert.Contains("claude-code", list.Output, StringComparison.Ordinal);
        Assert.Contains("mine", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, show.Exit);
        Assert.Contains("\"npm\"", show.Output, StringComparison.Ordinal);
        Assert.Contains("\"/usr\"", show.Output, StringComparison.Ordinal);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("does not exist", bad.Error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) RunBinary(string nono, TestHost host, params string[] args)
    {
        var start = new ProcessStartInfo(nono) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = host.Work };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = host.Home;
        start.Environment["XDG_CONFIG_HOME"] = host.ConfigHome;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
