namespace Nono.Proxy.Tests.Tls;

/// <summary>
/// The interceptor against the clients a sandboxed program actually uses, each trusting the session CA
/// only through the trust bundle named in its own environment variable.
/// </summary>
public sealed class InterceptorRealClientTests
{
    public static TheoryData<HttpsClient, bool> ClientsWithAndWithoutNameConstraints()
    {
        var data = new TheoryData<HttpsClient, bool>();
        foreach (var client in Enum.GetValues<HttpsClient>())
        {
            data.Add(client, true);
            data.Add(client, false);
        }

        return data;
    }

    public static TheoryData<HttpsClient> Clients() => [.. Enum.GetValues<HttpsClient>()];

    [Theory]
    [MemberData(nameof(ClientsWithAndWithoutNameConstraints))]
    public async Task Client_trusting_only_the_bundle_completes_an_intercepted_request(HttpsClient client, bool nameConstraints)
    {
        using var pki = TestPki.Create(nameConstraints);
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        var outcome = await RealClients.RunAsync(client, TestPki.AllowedHost, server.Port, pki.Bundle.Path, pki.Directory.Path);
        var observation = await server.NextObservationAsync();

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Contains(RealClients.ExpectedOutput(client), outcome.Stdout, StringComparison.Ordinal);
        Assert.True(observation.Succeeded, observation.ToString());
        Assert.Equal(TestPki.AllowedHost, observation.Sni);

        // Node's https module offers no ALPN unless asked to; the others offer http/1.1 (curl also h2).
        Assert.Equal(client == HttpsClient.Node ? "" : "http/1.1", observation.Protocol.ToString());
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Client_without_the_bundle_refuses_and_the_interceptor_reports_a_refusal(HttpsClient client)
    {
        using var pki = TestPki.Create();
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        var outcome = await RealClients.RunAsync(client, TestPki.AllowedHost, server.Port, bundlePath: null, pki.Directory.Path);
        var observation = await server.NextObservationAsync();

        Assert.False(outcome.Succeeded, outcome.ToString());
        Assert.DoesNotContain(RealClients.ExpectedOutput(client), outcome.Stdout, StringComparison.Ordinal);
        Assert.NotNull(observation.Failure);
        TestContext.Current.TestOutputHelper?.WriteLine($"{client}: {observation.Failure.Kind} ({observation.Failure.Detail})");
        Assert.True(observation.Failure.RefusedByClient, observation.Failure.ToString());
        Assert.Equal("tls handshake refused by client", observation.Failure.AuditReason);
    }
}
