using System.Text;

namespace Nono.Proxy.Tests.Unit;

public sealed class SessionTokenTests
{
    [Fact]
    public void Generated_token_is_256_random_bits_in_hex()
    {
        var a = SessionToken.Generate().Value;
        var b = SessionToken.Generate().Value;
        Assert.Equal(64, a.Length);
        Assert.True(a.All(Uri.IsHexDigit));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Proxy_authorization_accepts_basic_and_bearer_with_the_token_only()
    {
        var token = SessionToken.Generate();
        string Basic(string user, string pass) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{pass}"));

        Assert.True(token.MatchesProxyAuthorization(Basic("nono", token.Value)));
        Assert.True(token.MatchesProxyAuthorization("Bearer " + token.Value));
        Assert.True(token.MatchesProxyAuthorization("bearer  " + token.Value + " "));
        Assert.False(token.MatchesProxyAuthorization(Basic("nono", token.Value[..^1])));
        Assert.False(token.MatchesProxyAuthorization(Basic(token.Value, "x")));
        Assert.False(token.MatchesProxyAuthorization(Basic("deploy", token.Value)));
        Assert.False(token.MatchesProxyAuthorization(Basic("", token.Value)));
        Assert.False(token.MatchesProxyAuthorization(Basic("NONO", token.Value)));
        Assert.False(token.MatchesProxyAuthorization("Bearer " + token.Value + "0"));
        Assert.False(token.MatchesProxyAuthorization("Digest " + token.Value));
        Assert.False(token.MatchesProxyAuthorization("Basic !!!notbase64"));
        Assert.False(token.MatchesProxyAuthorization(null));
        Assert.False(token.MatchesProxyAuthorization(""));
    }

    [Fact]
    public void Token_is_found_in_a_target_in_any_case_and_behind_percent_encoding()
    {
        var token = SessionToken.Fixed("abc123def456");
        Assert.True(token.AppearsIn("/v1?key=abc123def456"));
        Assert.True(token.AppearsIn("/v1?key=ABC123DEF456"));
        Assert.True(token.AppearsIn("/v1?key=%61bc123def456"));
        Assert.True(token.AppearsIn("/v1?key=%2561bc123def456"));
        Assert.False(token.AppearsIn("/v1?key=abc123def45"));
        Assert.False(token.AppearsIn("/v1?key=abc%20123def456"));

        // Encoded more often than anyone would for a good reason: counted as carrying it.
        var deep = "x";
        for (var i = 0; i < 12; i++)
            deep = Uri.EscapeDataString("%" + deep);
        Assert.True(token.AppearsIn(deep));
    }

    [Fact]
    public void Token_is_found_in_a_header_value_base64_encoded_at_any_alignment()
    {
        var token = SessionToken.Fixed("abc123def456");
        string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
        Assert.True(token.AppearsInHeader("Basic " + B64("user:abc123def456")));
        Assert.True(token.AppearsInHeader("Basic " + B64("u:ABC123DEF456")));
        Assert.True(token.AppearsInHeader("x " + B64("ab:abc123def456").Replace('+', '-').Replace('/', '_').TrimEnd('=')));
        Assert.True(token.AppearsInHeader("Bearer abc123def456"));
        Assert.False(token.AppearsInHeader("Basic " + B64("user:abc123def457")));
        Assert.False(token.AppearsInHeader("text/plain; charset=utf-8"));
    }
}
