namespace Nono.Proxy.Tests.Unit;

public sealed class SecureRandomTests
{
    [Fact]
    public void Short_and_interrupted_reads_are_continued_until_every_byte_is_filled()
    {
        var calls = 0;
        var buffer = new byte[1000];

        // A source that is interrupted once, then hands out 7 bytes at a time, each 0xA5.
        SecureRandom.Fill(buffer, destination =>
        {
            if (calls++ == 0)
            {
                return -4;
            }

            var n = Math.Min(7, destination.Length);
            destination[..n].Fill(0xA5);
            return n;
        });

        Assert.All(buffer, b => Assert.Equal(0xA5, b));
        Assert.Equal(1 + 143, calls);
    }

    [Fact]
    public void A_failing_kernel_source_falls_back_to_another_generator_rather_than_leaving_zeros()
    {
        var buffer = new byte[4096];

        SecureRandom.Fill(buffer, _ => -38);

        Assert.True(buffer.Count(b => b == 0) < 100, "the buffer was left mostly unfilled");
    }

    [Fact]
    public void The_kernel_source_gives_independent_uniform_bytes()
    {
        var first = SecureRandom.GetBytes(1_000_003);
        var second = SecureRandom.GetBytes(1_000_003);

        Assert.NotEqual(first, second);
        var histogram = new int[256];
        foreach (var b in first)
        {
            histogram[b]++;
        }

        // About 3,906 of each value; a broken source is far outside this.
        Assert.All(histogram, count => Assert.InRange(count, 3_400, 4_400));
    }

    [Fact]
    public void Session_tokens_are_256_bit_hex_and_never_repeat()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => SessionToken.Generate().Value).ToHashSet();

        Assert.Equal(1000, tokens.Count);
        Assert.All(tokens, token => Assert.Matches("^[0-9a-f]{64}$", token));
    }
}
