using System.Text;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>
/// A custom credential's upstream TLS files (<c>tls_ca</c>, <c>tls_client_cert</c>, <c>tls_client_key</c>):
/// handed to the proxy as expanded paths, checked for shape, and the private key kept from the sandbox.
/// </summary>
public sealed class CredentialTlsFileTests
{
    private static string Profile(string tls, string upstream = "https://svc.example.com") =>
        $$"""{"network": {"credentials": ["svc"], "custom_credentials": {"svc": {"upstream": "{{upstream}}", "credential_key": "env://SVC_SECRET", """ + tls + "}}}}";

    [Fact]
    public void The_files_reach_the_proxy_route_as_expanded_paths()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", Profile("""
            "tls_ca": "~/.config/svc/ca.pem", "tls_client_cert": "$HOME/.config/svc/client.pem", "tls_client_key": "~/.config/svc/client.key"
            """));

        var route = Assert.Single(host.Resolve(new SessionFlags { Profile = "p" }).Proxy.Routes);

        Assert.Equal(
            ($"{host.Home}/.config/svc/ca.pem", $"{host.Home}/.config/svc/client.pem", $"{host.Home}/.config/svc/client.key"),
            (route.UpstreamCaPath, route.ClientCertificatePath, route.ClientKeyPath));
    }

    [Theory]
    [InlineData("\"tls_client_cert\": \"~/c.pem\"", "sets tls_client_cert without tls_client_key; mutual TLS needs both PEM files")]
    [InlineData("\"tls_client_key\": \"~/c.key\"", "sets tls_client_key without tls_client_cert")]
    [InlineData("\"tls_ca\": 3", "'network.custom_credentials.svc.tls_ca' must be a string")]
    [InlineData("\"tls_ca\": \"relative/ca.pem\"", "'network.custom_credentials.svc.tls_ca'")]
    public void Half_a_client_certificate_or_a_bad_path_is_an_error_with_position(string tls, string expected)
    {
        var error = Assert.Throws<ProfileException>(() => ProfileParser.Parse(Encoding.UTF8.GetBytes(Profile(tls)), "p.json"));

        Assert.Matches(@"^p\.json:1:\d+: ", error.Message);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_files_need_an_https_upstream()
    {
        var error = Assert.Throws<ProfileException>(() => ProfileParser.Parse(Encoding.UTF8.GetBytes(Profile("\"tls_ca\": \"/etc/ca.pem\"", "http://svc.example.com")), "p.json"));

        Assert.Contains("TLS files apply to an https:// upstream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_key_inside_a_granted_directory_is_masked_in_the_sandbox()
    {
        using var host = new TestHost();
        var key = host.WriteFile(Path.Join(host.Work, "certs", "client.key"), "not a real key");
        host.WriteUserProfile("p", Profile($$"""
            "tls_client_cert": "{{host.Work}}/certs/client.pem", "tls_client_key": "{{key}}"
            """));

        var settings = host.Resolve(new SessionFlags { Profile = "p", Allow = [host.Work] });

        Assert.Contains(key, settings.Denies);
    }

    [Fact]
    public void A_client_key_granted_itself_is_refused_where_it_was_written()
    {
        using var host = new TestHost();
        var key = host.WriteFile(Path.Join(host.Home, "client.key"), "not a real key");
        host.WriteUserProfile("p", Profile($$"""
            "tls_client_cert": "~/client.pem", "tls_client_key": "~/client.key"
            """));

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p", ReadFile = [key] }));

        Assert.Contains($"the client key of route '/svc' ({key}) is granted to the sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("p.json:1:", error.Message, StringComparison.Ordinal);
    }
}
