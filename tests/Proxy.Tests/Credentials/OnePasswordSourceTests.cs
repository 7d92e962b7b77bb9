using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

/// <summary>
/// op:// through a stand-in for the 1Password CLI (see <see cref="FakeTools"/>): the real CLI is not
/// in Debian's archive, so these check the arguments nono passes and how it reads the answers.
/// </summary>
public sealed class OnePasswordSourceTests : IDisposable
{
    private const string Reference = "op://Private/OpenAI/credential";

    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Field_is_read_with_op_read()
    {
        var secret = TestSecrets.New();
        FakeTools.WriteOp(_dir, Reference);

        var result = await CredentialLoader.LoadAsync(Reference, Options(secret), Ct);

        using var loaded = result.Secret;
        Assert.Null(result.Error);
        Assert.Equal(secret, loaded?.Reveal());
        Assert.Equal(Reference, result.SourceLabel);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Failure_quotes_op_and_says_to_sign_in()
    {
        FakeTools.WriteOp(_dir, Reference);

        var result = await CredentialLoader.LoadAsync("op://Private/Missing/credential", Options(TestSecrets.New()), Ct);

        Assert.Null(result.Secret);
        Assert.Contains("op read exited with code 1", result.Error, StringComparison.Ordinal);
        Assert.Contains("could not find item", result.Error, StringComparison.Ordinal);
        Assert.Contains("op signin", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_op_is_an_error_that_says_to_install_it()
    {
        var options = new CredentialLoaderOptions { HelperEnvironment = new Dictionary<string, string?> { ["PATH"] = _dir.Path } };

        var result = await CredentialLoader.LoadAsync(Reference, options, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("'op' was not found on PATH", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("op://")]
    [InlineData("op://vault/item")]
    public async Task Reference_without_vault_item_and_field_is_refused(string reference)
    {
        var result = await CredentialLoader.LoadAsync(reference, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("op://vault/item/field", result.Error, StringComparison.Ordinal);
    }

    private CredentialLoaderOptions Options(string secret) => new() { HelperEnvironment = FakeTools.Environment(_dir, secret) };
}
