namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>What `nono wrap` passes into the command's environment, seen by a real `env` inside the sandbox.</summary>
public sealed class WrapEnvironmentTests
{
    private const string SecretValue = "sk-real-value-that-must-not-reach-the-command";

    private static readonly Dictionary<string, string?> CallerEnvironment = new()
    {
        ["OPENAI_API_KEY"] = SecretValue,
        ["GITHUB_TOKEN"] = SecretValue,
        ["PGPASSWORD"] = SecretValue,
        ["SSH_AUTH_SOCK"] = "/nonexistent/agent.sock",
        ["PYTHONPATH"] = "/nonexistent/shadow",
        ["ORDINARY_SETTING"] = "kept",
        ["HTTPS_PROXY"] = "http://corporate.example:3128",
    };

    private static Dictionary<string, string> Parse(string envOutput) =>
        envOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0])
            .ToDictionary(group => group.Key, group => group.Last()[1]);

    [Theory]
    [InlineData("DB_PASS", "hunter2-e2e")]
    [InlineData("SMTP_PASS", "hunter2-e2e")]
    [InlineData("GITHUB_PAT", "github_pat_e2e")]
    [InlineData("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountKey=e2e")]
    [InlineData("npm_config__authToken", "npm_e2e")]
    [InlineData("SENTRY_DSN", "https://e2e@o1.ingest.sentry.io/1")]
    [InlineData("DOCKER_AUTH_CONFIG", "{\"auths\":{}}")]
    [InlineData("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/e2e")]
    [InlineData("REDIS_URL", "redis://:hunter2-e2e@cache:6379/0")]
    [InlineData("ANY_NAME_AT_ALL", "postgres://app:hunter2-e2e@db/app")]
    public async Task Secrets_under_common_names_or_in_urls_do_not_reach_the_command(string name, string value)
    {
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--", "env"], new Dictionary<string, string?> { [name] = value });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Parse(result.Stdout).ContainsKey(name), $"{name} reached the command");
        Assert.DoesNotContain(value, result.Stdout, StringComparison.Ordinal);

        var allowed = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--allow-env", name, "--", "env"], new Dictionary<string, string?> { [name] = value });
        Assert.Equal(value, Parse(allowed.Stdout)[name]);
    }

    [Fact]
    public async Task A_url_without_a_password_is_passed_through()
    {
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--", "env"], new Dictionary<string, string?> { ["REDIS_URL"] = "redis://cache:6379/0" });
        Assert.Equal("redis://cache:6379/0", Parse(result.Stdout)["REDIS_URL"]);
    }

    [Fact]
    public async Task Secrets_agent_sockets_and_code_injecting_variables_do_not_reach_the_command()
    {
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--", "env"], CallerEnvironment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var env = Parse(result.Stdout);
        Assert.DoesNotContain(SecretValue, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, result.Stderr, StringComparison.Ordinal);
        Assert.False(env.ContainsKey("OPENAI_API_KEY"));
        Assert.False(env.ContainsKey("SSH_AUTH_SOCK"));
        Assert.False(env.ContainsKey("PYTHONPATH"));
        Assert.Equal("kept", env["ORDINARY_SETTING"]);
        Assert.False(env.ContainsKey("HTTPS_PROXY"), "the network is blocked: proxy settings are of no use");
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), env["PATH"]);
    }

    [Fact]
    public async Task With_allow_net_the_callers_proxy_stays_but_one_carrying_a_password_does_not()
    {
        var caller = new Dictionary<string, string?>(CallerEnvironment) { ["ALL_PROXY"] = "http://alice:" + SecretValue + "@corp.example:3128" };

        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--allow-net", "--", "env"], caller);

        Assert.True(result.ExitCode == 0, result.ToString());
        var env = Parse(result.Stdout);
        Assert.Equal("http://corporate.example:3128", env["HTTPS_PROXY"]);
        Assert.False(env.ContainsKey("ALL_PROXY"));
        Assert.DoesNotContain(SecretValue, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_env_passes_one_named_variable_through()
    {
        var result = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--allow-env", "GITHUB_TOKEN", "--", "env"], CallerEnvironment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var env = Parse(result.Stdout);
        Assert.Equal(SecretValue, env["GITHUB_TOKEN"]);
        Assert.False(env.ContainsKey("OPENAI_API_KEY"));
    }

    [Fact]
    public async Task Dry_run_and_verbose_name_what_is_withheld_but_never_show_a_value()
    {
        var dryRun = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--dry-run", "--", "env"], CallerEnvironment);
        var verbose = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "-v", "--", "/bin/true"], CallerEnvironment);

        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("withheld from the environment: ", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Contains("SSH_AUTH_SOCK", dryRun.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, dryRun.Stdout + dryRun.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, verbose.ExitCode);
        Assert.Contains("PGPASSWORD", verbose.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, verbose.Stdout + verbose.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_env_with_a_malformed_name_is_a_usage_error()
    {
        var result = await Run.NonoAsync("wrap", "--allow-env", "NOT A NAME", "--", "/bin/true");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--allow-env: 'NOT A NAME' is not a variable name", result.Stderr, StringComparison.Ordinal);
    }
}
