using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class EnvironmentSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Set_variable_is_loaded()
    {
        var name = UniqueName();
        var secret = TestSecrets.New();
        Environment.SetEnvironmentVariable(name, secret);
        try
        {
            var result = await CredentialLoader.LoadAsync($"env://{name}", Ct);

            using var loaded = result.Secret;
            Assert.NotNull(loaded);
            Assert.Null(result.Error);
            Assert.Equal(secret, loaded.Reveal());
            Assert.Equal($"env://{name}", result.SourceLabel);
            TestSecrets.AssertNotLeaked(result, secret);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Unset_variable_is_an_error_that_names_it_and_says_what_to_do()
    {
        var name = UniqueName();

        var result = await CredentialLoader.LoadAsync($"env://{name}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains($"{name} is not set", result.Error, StringComparison.Ordinal);
        Assert.Contains("Export it", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_variable_is_an_error()
    {
        var name = UniqueName();
        Environment.SetEnvironmentVariable(name, "\n");
        try
        {
            var result = await CredentialLoader.LoadAsync($"env://{name}", Ct);

            Assert.Null(result.Secret);
            Assert.Contains("is empty", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task One_trailing_newline_is_trimmed()
    {
        var name = UniqueName();
        var secret = TestSecrets.New();
        Environment.SetEnvironmentVariable(name, secret + "\n");
        try
        {
            var result = await CredentialLoader.LoadAsync($"env://{name}", Ct);

            using var loaded = result.Secret;
            Assert.Equal(secret, loaded?.Reveal());
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Value_with_a_line_break_inside_is_refused_without_showing_it()
    {
        var name = UniqueName();
        var secret = TestSecrets.New();
        Environment.SetEnvironmentVariable(name, secret + "\r\nX-Injected: 1");
        try
        {
            var result = await CredentialLoader.LoadAsync($"env://{name}", Ct);

            Assert.Null(result.Secret);
            Assert.Contains("control characters", result.Error, StringComparison.Ordinal);
            TestSecrets.AssertNotLeaked(result, secret);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("env://")]
    [InlineData("env://1ABC")]
    [InlineData("env://A-B")]
    public async Task Invalid_variable_name_is_an_error(string reference)
    {
        var result = await CredentialLoader.LoadAsync(reference, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("does not name an environment variable", result.Error, StringComparison.Ordinal);
    }

    private static string UniqueName() => "NONO_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
}
