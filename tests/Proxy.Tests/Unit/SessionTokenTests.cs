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
}
