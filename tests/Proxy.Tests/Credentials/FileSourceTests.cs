using CliWrap;
using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class FileSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task File_content_is_loaded_less_one_trailing_newline(string ending)
    {
        var secret = TestSecrets.New();
        var path = _dir.WriteFile("key", secret + ending);

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        using var loaded = result.Secret;
        Assert.Null(result.Error);
        Assert.Equal(secret, loaded?.Reveal());
        Assert.Equal($"file://{path}", result.SourceLabel);
        Assert.Empty(result.Warnings);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Only_one_trailing_newline_is_trimmed_so_a_second_line_is_refused()
    {
        var secret = TestSecrets.New();
        var path = _dir.WriteFile("key", secret + "\n\n");

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("single line", result.Error, StringComparison.Ordinal);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task Missing_file_is_an_error_naming_the_path()
    {
        var path = _dir.Combine("absent");

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains($"Cannot open {path}", result.Error, StringComparison.Ordinal);
        Assert.Contains("No such file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_file_is_an_error()
    {
        var path = _dir.WriteFile("empty", "");

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("is empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_readable_by_others_loads_with_a_warning_that_says_how_to_fix_it()
    {
        var secret = TestSecrets.New();
        var path = _dir.WriteFile("key", secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        using var loaded = result.Secret;
        Assert.Equal(secret, loaded?.Reveal());
        var warning = Assert.Single(result.Warnings);
        Assert.Contains($"chmod 600 {path}", warning, StringComparison.Ordinal);
        TestSecrets.AssertNotLeaked(result, secret);
    }

    [Fact]
    public async Task File_writable_by_others_is_refused()
    {
        var path = _dir.WriteFile("key", TestSecrets.New(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("chmod o-w", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symlink_to_a_regular_file_is_followed()
    {
        // Kubernetes and Docker mount secrets as symlinks into a data directory.
        var secret = TestSecrets.New();
        var target = _dir.WriteFile("real-key", secret + "\n");
        var link = _dir.Combine("key");
        File.CreateSymbolicLink(link, target);

        var result = await CredentialLoader.LoadAsync($"file://{link}", Ct);

        using var loaded = result.Secret;
        Assert.Equal(secret, loaded?.Reveal());
    }

    [Fact]
    public async Task Fifo_is_refused_at_once_instead_of_blocking()
    {
        var fifo = _dir.Combine("fifo");
        await Cli.Wrap("mkfifo").WithArguments([fifo]).ExecuteAsync(Ct);
        var link = _dir.Combine("link-to-fifo");
        File.CreateSymbolicLink(link, fifo);

        // With no writer, a plain open() of a FIFO would wait forever.
        var direct = await CredentialLoader.LoadAsync($"file://{fifo}", Ct);
        var viaLink = await CredentialLoader.LoadAsync($"file://{link}", Ct);

        Assert.Contains("not a regular file", direct.Error, StringComparison.Ordinal);
        Assert.Contains("not a regular file", viaLink.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_is_refused()
    {
        var result = await CredentialLoader.LoadAsync($"file://{_dir.Path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains($"{_dir.Path} is a directory", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_larger_than_any_credential_is_refused()
    {
        var path = _dir.WriteFile("big", new string('a', 100_000));

        var result = await CredentialLoader.LoadAsync($"file://{path}", Ct);

        Assert.Null(result.Secret);
        Assert.Contains("100000 bytes", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file://key.txt")]
    [InlineData("file://~/key.txt")]
    public async Task Relative_path_is_refused_with_the_absolute_form(string reference)
    {
        var result = await CredentialLoader.LoadAsync(reference, Ct);

        Assert.Null(result.Secret);
        Assert.Contains("file:///absolute/path", result.Error, StringComparison.Ordinal);
    }
}
