namespace Nono.Proxy.Tests.Unit;

public sealed class SecureRandomTests
{
    [Fact]
    public void Fills_every_byte_of_large_and_odd_sized_requests_with_independent_values()
    {
        // getrandom(2) may return fewer bytes than asked: a loop that stopped early would leave zeros.
        var first = SecureRandom.GetBytes(1_000_003);
        var second = SecureRandom.GetBytes(1_000_003);

        Assert.NotEqual(first, second);
        var histogram = new int[256];
        foreach (var b in first)
        {
            histogram[b]++;
        }

        // About 3,906 of each value; a run of untouched zeros or a broken source is far outside this.
        Assert.All(histogram, count => Assert.InRange(count, 3_400, 4_400));
    }

    [Fact]
    public void Session_tokens_are_256_bits_and_never_repeat()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => Convert.ToHexStringLower(SecureRandom.GetBytes(32))).ToHashSet();

        Assert.Equal(1000, tokens.Count);
        Assert.All(tokens, token => Assert.Equal(64, token.Length));
    }
}
