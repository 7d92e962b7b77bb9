using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class CommandSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Command_stdout_is_the_credential_less_one_trailing_newline()
    {
        var result = await CredentialLoader.LoadAsync("cmd:///bin/echo sk-from-echo", Ct);

        using var loaded = result.Secret;
        Assert.Null(result.Error);
        Assert.Equal("sk-from-echo", loaded?.Reveal());
    }

    [Fact]
    public async Task Program_is_found_on_PATH()
    {
        var result = await CredentialLoader.LoadAsync("cmd://printf %s path-lookup-works", Ct);

        using var loaded = result.Secret;
        Assert.Equal("path-lookup-works", loaded?.Reveal());
    }

    [Theory]
    [InlineData("cmd:///bin/echo 'two  words'", "two  words")]
    [InlineData("cmd:///bin/echo \"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("cmd:///bin/echo a\\ b", "a b")]
    [InlineData("cmd:///bin/sh -c 'printf %s \"$0\"' '$HOME*'", "$HOME*")]
    public async Task Arguments_are_split_like_a_shell_but_nothing_is_expanded(string reference, string expected)
    {
        var result = await CredentialLoader.LoadAsync(reference, Ct);

        using var loaded = result.Secret;
        Assert.Null(result.Error);
        Assert.Equal(expected, loaded?.Reveal());
    }

    [Fact]
    public async Task Non_zero_exit_is_an_error_with_the_code_and_the_stderr_excerpt()
    {
        var result = await CredentialLoader.LoadAsync("cmd:///bin/sh -c 'echo vault is sealed >&2; exit 3'", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("exited with code 3", result.Error, StringComparison.Ordinal);
        Assert.Contains("vault is sealed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_exit_3_says_there_was_no_error_output()
    {
        var result = await CredentialLoader.LoadAsync("cmd:///bin/sh -c 'exit 3'", Ct);

        Assert.Contains("exited with code 3: (no error output)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stderr_that_echoes_the_printed_secret_is_scrubbed()
    {
        // A tool that prints the value and then complains about it, quoting it.
        var secret = TestSecrets.New();
        var options = new CredentialLoaderOptions { HelperEnvironment = new Dictionary<string, string?> { ["NONO_TEST_VALUE"] = secret } };

        var result = await CredentialLoader.LoadAsync(
            "cmd:///bin/sh -c 'printf \"%s\\n\" \"$NONO_TEST_VALUE\"; echo \"token $NONO_TEST_VALUE was revoked\" >&2; exit 2'", options, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("exited with code 2", result.Error, StringComparison.Ordinal);
        Assert.Contains($"token {SecretScrubber.Placeholder} was revoked", result.Error, StringComparison.Ordinal);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Stderr_that_echoes_one_line_of_multi_line_output_is_scrubbed()
    {
        var secret = TestSecrets.New();
        var options = new CredentialLoaderOptions { HelperEnvironment = new Dictionary<string, string?> { ["NONO_TEST_VALUE"] = secret } };

        var result = await CredentialLoader.LoadAsync(
            "cmd:///bin/sh -c 'printf \"%s\\nsecond line\\n\" \"$NONO_TEST_VALUE\"; echo \"bad: $NONO_TEST_VALUE\" >&2; exit 1'", options, Ct);

        Assert.Contains($"bad: {SecretScrubber.Placeholder}", result.Error, StringComparison.Ordinal);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Command_that_does_not_finish_is_killed_after_the_timeout()
    {
        var options = new CredentialLoaderOptions { CommandTimeout = TimeSpan.FromMilliseconds(300) };

        var result = await CredentialLoader.LoadAsync("cmd:///bin/sleep 30", options, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("did not finish within 0.3 s and was killed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_also_ends_grandchildren_that_hold_the_output_pipe()
    {
        var options = new CredentialLoaderOptions { CommandTimeout = TimeSpan.FromMilliseconds(300) };

        // sh forks sleep, which inherits stdout: killing sh alone would leave the pipe open for 30 s.
        var result = await CredentialLoader.LoadAsync("cmd:///bin/sh -c '/bin/sleep 30; echo late'", options, Ct);

        Assert.Contains("did not finish", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_gets_empty_stdin_instead_of_waiting_for_input()
    {
        var result = await CredentialLoader.LoadAsync("cmd:///bin/cat", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("printed nothing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_larger_than_any_credential_is_refused()
    {
        var result = await CredentialLoader.LoadAsync("cmd:///bin/sh -c 'head -c 200000 /dev/zero | tr \"\\\\0\" a'", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("printed more than a credential", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_program_is_an_error_that_suggests_an_absolute_path()
    {
        var result = await CredentialLoader.LoadAsync("cmd://nono-no-such-program-here arg", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("nono-no-such-program-here was not found on PATH", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_that_is_not_executable_is_an_error()
    {
        var path = _dir.WriteFile("not-executable", "#!/bin/sh\necho hi\n");

        var result = await CredentialLoader.LoadAsync($"cmd://{path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("does not exist or is not executable", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helper_environment_overrides_reach_the_command()
    {
        var options = new CredentialLoaderOptions { HelperEnvironment = new Dictionary<string, string?> { ["NONO_TEST_VALUE"] = "from-env" } };

        var result = await CredentialLoader.LoadAsync("cmd:///bin/sh -c 'printf %s \"$NONO_TEST_VALUE\"'", options, Ct);

        using var loaded = result.Secret;
        Assert.Equal("from-env", loaded?.Reveal());
    }

    [Fact]
    public async Task Secret_written_into_the_command_line_is_kept_out_of_the_label()
    {
        var secret = TestSecrets.New();

        var result = await CredentialLoader.LoadAsync($"cmd:///bin/echo {secret}", Ct);

        using var loaded = result.Secret;
        Assert.Equal(secret, loaded?.Reveal());
        Assert.Equal($"cmd:///bin/echo {SecretScrubber.Placeholder}", result.SourceLabel);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Unclosed_quote_is_an_error()
    {
        var result = await CredentialLoader.LoadAsync("cmd:///bin/echo 'oops", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("single quote is not closed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws_instead_of_reporting_a_timeout()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await CredentialLoader.LoadAsync("cmd:///bin/sleep 30", cts.Token));
    }
}
