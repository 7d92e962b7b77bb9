using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

/// <summary>
/// The macOS keychain path, driven through a stand-in for security(1) (see <see cref="FakeTools"/>):
/// on Linux there is no keychain, so these check the arguments nono passes and how it reads answers.
/// </summary>
public sealed class KeychainSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Keychain_password_is_loaded_less_the_trailing_newline()
    {
        var secret = TestSecrets.New();
        FakeTools.WriteSecurity(_dir, "nono", "openai");

        var result = await CredentialLoader.LoadAsync("openai", Options(secret), Ct);

        using var loaded = result.Secret;
        Assert.Null(result.Error);
        Assert.Equal(secret, loaded?.Reveal());
        Assert.Equal("keyring:nono/openai", result.SourceLabel);
    }

    [Fact]
    public async Task Item_not_found_is_an_error_with_the_command_that_adds_it()
    {
        FakeTools.WriteSecurity(_dir, "nono", "openai");

        var result = await CredentialLoader.LoadAsync("keyring://work/anthropic", Options(TestSecrets.New()), Ct);

        Assert.Null(result.Secret);
        Assert.Contains("no generic password with service 'work' and account 'anthropic'", result.Error, StringComparison.Ordinal);
        Assert.Contains("security add-generic-password -s work -a anthropic -w", result.Error, StringComparison.Ordinal);
    }

    private CredentialLoaderOptions Options(string secret) =>
        new() { Keyring = KeyringBackend.MacKeychain, HelperEnvironment = FakeTools.Environment(_dir, secret) };
}
