using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class CredentialReferenceTests
{
    [Theory]
    [InlineData("env://OPENAI_API_KEY", "Environment", "OPENAI_API_KEY", "env://OPENAI_API_KEY")]
    [InlineData("file:///home/u/key", "File", "/home/u/key", "file:///home/u/key")]
    [InlineData("keyring://work/openai", "Keyring", "openai", "keyring:work/openai")]
    [InlineData("keyring://work/team/openai", "Keyring", "team/openai", "keyring:work/team/openai")]
    [InlineData("openai", "Keyring", "openai", "keyring:nono/openai")]
    [InlineData("cmd://pass show x", "Command", "pass show x", "cmd://pass show x")]
    [InlineData("op://vault/item/field", "OnePassword", "op://vault/item/field", "op://vault/item/field")]
    [InlineData("  env://A  ", "Environment", "A", "env://A")]
    public void Parses_each_source_with_a_printable_label(string reference, string kind, string target, string label)
    {
        Assert.True(CredentialReference.TryParse(reference, out var parsed, out _, out var error), error);
        Assert.Equal(Enum.Parse<CredentialSourceKind>(kind), parsed.Kind);
        Assert.Equal(target, parsed.Target);
        Assert.Equal(label, parsed.Label);
    }

    [Fact]
    public void Bare_name_uses_service_nono()
    {
        Assert.True(CredentialReference.TryParse("github", out var parsed, out _, out _));
        Assert.Equal("nono", parsed.KeyringService);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ftp://x", "Unknown credential source 'ftp://'")]
    [InlineData("keyring://onlyservice", "both parts are required")]
    [InlineData("keyring:///account", "both parts are required")]
    [InlineData("cmd://   ", "needs a command")]
    [InlineData("env://A\nB", "control characters")]
    [InlineData("my key", "white space")]
    public void Bad_reference_is_an_error_that_says_what_is_expected(string reference, string expected)
    {
        Assert.False(CredentialReference.TryParse(reference, out _, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sk-proj-Abc123def456ghi789jkl012")]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ012345")]
    [InlineData("glpat-0123456789abcdefghij")]
    [InlineData("AIzaSyA0123456789abcdefghijklmnopqrstu")]
    [InlineData("keyring://nono/sk-ant-api03-0123456789abcdefghij")]
    [InlineData("a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0")]
    public void Key_pasted_in_place_of_its_name_is_refused_without_echoing_it(string reference)
    {
        Assert.False(CredentialReference.TryParse(reference, out _, out var label, out var error));
        Assert.Contains("looks like an API key itself", error, StringComparison.Ordinal);
        var key = reference.Replace("keyring://nono/", "", StringComparison.Ordinal);
        Assert.DoesNotContain(key, label, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("openai_api_key")]
    [InlineData("work-github-token")]
    public void Ordinary_account_names_are_not_mistaken_for_keys(string reference) =>
        Assert.True(CredentialReference.TryParse(reference, out _, out _, out _));
}
