using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class CommandLineSplitterTests
{
    [Theory]
    [InlineData("pass show openai", new[] { "pass", "show", "openai" })]
    [InlineData("  pass\t show  ", new[] { "pass", "show" })]
    [InlineData("a 'b c' d", new[] { "a", "b c", "d" })]
    [InlineData("a 'it''s'", new[] { "a", "its" })]
    [InlineData("a \"b \\\"c\\\" \\\\ \\n\"", new[] { "a", "b \"c\" \\ \\n" })]
    [InlineData("a b\\ c", new[] { "a", "b c" })]
    [InlineData("a '' b", new[] { "a", "", "b" })]
    [InlineData("x=\"$HOME\" '*'", new[] { "x=$HOME", "*" })]
    [InlineData("pre'quoted'post", new[] { "prequotedpost" })]
    public void Splits_like_a_shell_without_expanding_anything(string line, string[] expected)
    {
        Assert.True(CommandLineSplitter.TrySplit(line, out var arguments, out var error), error);
        Assert.Equal(expected, arguments);
    }

    [Theory]
    [InlineData("a 'b", "single quote is not closed")]
    [InlineData("a \"b", "double quote is not closed")]
    [InlineData("a \\", "lone backslash")]
    [InlineData("   ", "empty")]
    public void Malformed_line_is_an_error_that_says_why(string line, string expected)
    {
        Assert.False(CommandLineSplitter.TrySplit(line, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
