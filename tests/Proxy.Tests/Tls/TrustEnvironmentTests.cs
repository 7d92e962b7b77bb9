using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class TrustEnvironmentTests
{
    [Fact]
    public void Every_variable_points_at_the_bundle_once()
    {
        var vars = TrustEnvironment.For("/run/user/1000/nono-abc/ca-bundle.pem");

        Assert.All(vars, v => Assert.Equal("/run/user/1000/nono-abc/ca-bundle.pem", v.Value));
        Assert.Equal(vars.Count, vars.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(TrustEnvironment.Variables.Count, vars.Count);
    }

    [Fact]
    public void The_variables_the_tested_clients_read_are_all_set()
    {
        var names = TrustEnvironment.For("/b.pem").Select(v => v.Name).ToHashSet();

        foreach (var client in Enum.GetValues<HttpsClient>())
        {
            Assert.Contains(RealClients.TrustVariable(client), names);
        }

        Assert.Superset(new HashSet<string> { "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE" }, names);
    }

    [Fact]
    public void Every_variable_says_which_software_reads_it()
    {
        Assert.All(TrustEnvironment.Variables, v => Assert.False(string.IsNullOrWhiteSpace(v.ReadBy)));
    }

    [Fact]
    public void An_empty_bundle_path_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => TrustEnvironment.For(""));
    }
}
