using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

/// <summary>
/// Whether real clients enforce the session CA's name constraints: a leaf inside them is accepted (see
/// <see cref="InterceptorRealClientTests"/>), a leaf outside them is refused even though it matches the
/// requested host and chains to a trusted root.
/// </summary>
public sealed class NameConstraintRealClientTests
{
    private const string OutsideHost = "evil.other-test.example";

    public static TheoryData<HttpsClient> Clients() => [.. Enum.GetValues<HttpsClient>()];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Leaf_for_a_host_outside_the_constraints_is_refused_by_the_client(HttpsClient client)
    {
        using var pki = TestPki.Create(nameConstraints: true);
        using var leaf = pki.Minter.Mint(TlsHostName.Parse(OutsideHost));
        await using var server = TestTlsServer.Presenting(leaf);

        var outcome = await RealClients.RunAsync(client, OutsideHost, server.Port, pki.Bundle.Path, pki.Directory.Path);

        TestContext.Current.TestOutputHelper?.WriteLine(outcome.ToString());
        Assert.False(outcome.Succeeded, outcome.ToString());
        Assert.DoesNotContain(RealClients.ExpectedOutput(client), outcome.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Same_leaf_from_an_unconstrained_CA_is_accepted(HttpsClient client)
    {
        using var pki = TestPki.Create(nameConstraints: false);
        using var leaf = pki.Minter.Mint(TlsHostName.Parse(OutsideHost));
        await using var server = TestTlsServer.Presenting(leaf);

        var outcome = await RealClients.RunAsync(client, OutsideHost, server.Port, pki.Bundle.Path, pki.Directory.Path);

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Contains(RealClients.ExpectedOutput(client), outcome.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Ip_leaf_is_refused_when_no_address_is_allowed(HttpsClient client)
    {
        using var pki = TestPki.Create(nameConstraints: true);
        using var leaf = pki.Minter.Mint(TlsHostName.Parse("127.0.0.1"));
        await using var server = TestTlsServer.Presenting(leaf);

        var outcome = await RealClients.RunAsync(client, "127.0.0.1", server.Port, pki.Bundle.Path, pki.Directory.Path);

        TestContext.Current.TestOutputHelper?.WriteLine(outcome.ToString());
        Assert.False(outcome.Succeeded, outcome.ToString());
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Ip_leaf_is_accepted_when_the_address_is_allowed(HttpsClient client)
    {
        using var pki = TestPki.Create(nameConstraints: true, options: null, "127.0.0.1");
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, "127.0.0.1");

        var outcome = await RealClients.RunAsync(client, "127.0.0.1", server.Port, pki.Bundle.Path, pki.Directory.Path);
        var observation = await server.NextObservationAsync();

        Assert.True(outcome.Succeeded, outcome.ToString());
        Assert.Contains(RealClients.ExpectedOutput(client), outcome.Stdout, StringComparison.Ordinal);
        Assert.True(observation.Succeeded, observation.ToString());
    }
}
