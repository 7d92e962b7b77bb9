using System.Text;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>A request header that carries the session token, in any letter case or encoding, never leaves the proxy.</summary>
public sealed class TokenInHeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    public static TheoryData<string> Copies(string token) =>
    [
        token.ToUpperInvariant(),
        "prefix " + token.ToUpperInvariant() + " suffix",
        B64(token),
        "Basic " + B64("someone:" + token),
        "Basic " + B64("x" + token).TrimEnd('='),
        B64("ab:" + token).Replace('+', '-').Replace('/', '_'),
        Uri.EscapeDataString(token).Replace("a", "%61", StringComparison.Ordinal),
    ];

    [Fact]
    public async Task Forwarded_request_loses_every_header_carrying_the_token_and_keeps_the_others()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with { FixedToken = "Session-Token-With-Letters-0123" }));
        using var client = Proxies.Client(proxy);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{origin.Url}/echo");
        var copies = Copies(proxy.Token).Select(row => (string)row.Data).ToArray();
        for (var i = 0; i < copies.Length; i++)
            request.Headers.TryAddWithoutValidation($"X-Copy-{i}", copies[i]);
        request.Headers.TryAddWithoutValidation("X-Keep", "hello");

        using var response = await client.SendAsync(request, Ct);
        var seen = Assert.Single(origin.Requests);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("hello", seen.Header("X-Keep"));
        for (var i = 0; i < copies.Length; i++)
            Assert.True(seen.Header($"X-Copy-{i}") is null, $"X-Copy-{i}: {copies[i]} reached the origin");
    }

    [Fact]
    public void Header_check_sees_case_base64_and_percent_forms_but_not_unrelated_values()
    {
        var token = SessionToken.Fixed("Session-Token-With-Letters-0123");

        foreach (var row in Copies(token.Value))
            Assert.True(token.AppearsInHeader((string)row.Data), (string)row.Data);
        Assert.False(token.AppearsInHeader("Bearer " + B64("an unrelated value of some length")));
        Assert.False(token.AppearsInHeader("text/html, application/json"));
    }
}
