using System.Text;
using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class SecretScrubberTests
{
    [Fact]
    public void Every_occurrence_is_replaced()
    {
        var scrubbed = Scrub("a SECRET b SECRETSECRET c", ["SECRET"]);

        Assert.Equal("a [redacted] b [redacted][redacted] c", scrubbed);
    }

    [Fact]
    public void Lines_of_multi_line_output_are_needles_too()
    {
        var needles = SecretScrubber.NeedlesFrom("first-line\nsecond-line\n"u8);

        var scrubbed = Encoding.UTF8.GetString(SecretScrubber.Scrub("bad: second-line; all: first-line\nsecond-line"u8, needles));

        Assert.Equal("bad: [redacted]; all: [redacted]", scrubbed);
    }

    [Fact]
    public void Truncated_text_loses_a_tail_that_could_be_the_start_of_the_secret()
    {
        var scrubbed = Encoding.UTF8.GetString(SecretScrubber.Scrub("error: token SECR"u8, [Encoding.UTF8.GetBytes("SECRET")], truncated: true));

        Assert.Equal("error: token ", scrubbed);
    }

    [Fact]
    public void Label_containing_the_secret_is_scrubbed_and_others_are_returned_as_is()
    {
        Assert.Equal("cmd://echo [redacted]", SecretScrubber.Scrub("cmd://echo tok-123", "tok-123"u8));
        Assert.Equal("cmd://pass show x", SecretScrubber.Scrub("cmd://pass show x", "tok-123"u8));
    }

    private static string Scrub(string text, string[] needles) =>
        Encoding.UTF8.GetString(SecretScrubber.Scrub(Encoding.UTF8.GetBytes(text), [.. needles.Select(Encoding.UTF8.GetBytes)]));
}
