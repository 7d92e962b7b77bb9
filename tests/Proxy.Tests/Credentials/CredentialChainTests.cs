using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

/// <summary>A built-in service's key: the keyring first, else the service's variable in nono's own environment.</summary>
public sealed class CredentialChainTests(SecretServiceSession session) : IClassFixture<SecretServiceSession>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_keyring_wins_over_the_environment_when_it_holds_the_key()
    {
        SkipUnlessLinux();
        var stored = TestSecrets.New();
        var exported = TestSecrets.New();
        await session.StoreAsync("nono", "chain-keyring-first", stored, Ct);
        using var variable = new ScopedVariable("NONO_TEST_CHAIN_KEY_A", exported);

        var result = await CredentialChain.LoadFirstAsync(["chain-keyring-first", "env://NONO_TEST_CHAIN_KEY_A"], session.Options, Ct);

        using var loaded = result.Secret;
        Assert.Equal(stored, loaded?.Reveal());
        Assert.Equal("keyring:nono/chain-keyring-first", result.SourceLabel);
    }

    [Fact]
    public async Task Without_the_key_in_the_keyring_the_environment_variable_is_used_and_named()
    {
        SkipUnlessLinux();
        var exported = TestSecrets.New();
        using var variable = new ScopedVariable("NONO_TEST_CHAIN_KEY_B", exported);

        var result = await CredentialChain.LoadFirstAsync(["chain-never-stored", "env://NONO_TEST_CHAIN_KEY_B"], session.Options, Ct);

        using var loaded = result.Secret;
        Assert.Equal(exported, loaded?.Reveal());
        Assert.Equal("env://NONO_TEST_CHAIN_KEY_B", result.SourceLabel);
        TestSecrets.AssertNotLeaked(result, exported);
    }

    [Fact]
    public async Task When_no_source_has_the_key_the_error_names_each_with_how_to_store_it()
    {
        SkipUnlessLinux();

        var result = await CredentialChain.LoadFirstAsync(["chain-nowhere", "env://NONO_TEST_CHAIN_UNSET"], session.Options, Ct);

        Assert.Null(result.Secret);
        Assert.Equal("keyring:nono/chain-nowhere, else env://NONO_TEST_CHAIN_UNSET", result.SourceLabel);
        Assert.Contains("secret-tool store --label='nono nono/chain-nowhere' service nono account chain-nowhere", result.Error, StringComparison.Ordinal);
        Assert.Contains("NONO_TEST_CHAIN_UNSET is not set in nono's environment", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_services_fall_back_to_the_variables_their_own_tools_read()
    {
        Assert.True(BuiltInServices.TryGet("openai", out var openai));
        Assert.Equal("openai", openai.CredentialKey);
        Assert.Equal(["env://OPENAI_API_KEY"], openai.FallbackCredentialKeys);
        Assert.True(BuiltInServices.TryGet("github", out var github));
        Assert.Equal(["env://GH_TOKEN", "env://GITHUB_TOKEN"], github.FallbackCredentialKeys);
        Assert.True(BuiltInServices.TryGet("anthropic", out var anthropic));
        Assert.Equal(["env://ANTHROPIC_API_KEY"], anthropic.FallbackCredentialKeys);
    }

    private static void SkipUnlessLinux() => Assert.SkipUnless(OperatingSystem.IsLinux(), "The Secret Service is a Linux (freedesktop) keyring.");

    private sealed class ScopedVariable : IDisposable
    {
        private readonly string _name;

        public ScopedVariable(string name, string value)
        {
            _name = name;
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, null);
    }
}
