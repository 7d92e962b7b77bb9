using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

/// <summary>The Linux keyring path against a real GNOME Keyring on a private session bus.</summary>
public sealed class KeyringSourceTests(SecretServiceSession session) : IClassFixture<SecretServiceSession>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Secret_stored_in_the_keyring_is_loaded()
    {
        SkipUnlessLinux();
        var secret = TestSecrets.New();
        await session.StoreAsync("nono-tests", "stored", secret, Ct);

        var result = await CredentialLoader.LoadAsync("keyring://nono-tests/stored", session.Options, Ct);

        using var loaded = result.Secret;
        Assert.Null(result.Error);
        Assert.Equal(secret, loaded?.Reveal());
        Assert.Equal("keyring:nono-tests/stored", result.SourceLabel);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Bare_name_is_an_account_under_service_nono()
    {
        SkipUnlessLinux();
        var secret = TestSecrets.New();
        await session.StoreAsync("nono", "bare-name-test", secret + "\n", Ct);

        var result = await CredentialLoader.LoadAsync("bare-name-test", session.Options, Ct);

        using var loaded = result.Secret;
        Assert.Equal(secret, loaded?.Reveal());
        Assert.Equal("keyring:nono/bare-name-test", result.SourceLabel);
    }

    [Fact]
    public async Task Missing_entry_is_an_error_with_the_command_that_stores_it()
    {
        SkipUnlessLinux();

        var result = await CredentialLoader.LoadAsync("keyring://nono-tests/never-stored", session.Options, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("no secret with service 'nono-tests' and account 'never-stored'", result.Error, StringComparison.Ordinal);
        Assert.Contains("secret-tool store --label='nono nono-tests/never-stored' service nono-tests account never-stored", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_session_bus_is_an_error_that_says_what_to_check()
    {
        SkipUnlessLinux();
        var options = new CredentialLoaderOptions
        {
            HelperEnvironment = new Dictionary<string, string?> { ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus", ["DISPLAY"] = null },
        };

        var result = await CredentialLoader.LoadAsync("keyring://nono-tests/stored", options, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("secret-tool exited with code 1", result.Error, StringComparison.Ordinal);
        Assert.Contains("DBUS_SESSION_BUS_ADDRESS", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_secret_tool_is_an_error_that_names_the_package()
    {
        using var emptyDir = new TempDirectory();
        var options = new CredentialLoaderOptions { HelperEnvironment = new Dictionary<string, string?> { ["PATH"] = emptyDir.Path } };

        var result = await CredentialLoader.LoadAsync("keyring://nono-tests/stored", options with { Keyring = KeyringBackend.SecretService }, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("secret-tool was not found on PATH", result.Error, StringComparison.Ordinal);
        Assert.Contains("libsecret-tools", result.Error, StringComparison.Ordinal);
    }

    private static void SkipUnlessLinux() => Assert.SkipUnless(OperatingSystem.IsLinux(), "The Secret Service is a Linux (freedesktop) keyring.");
}
