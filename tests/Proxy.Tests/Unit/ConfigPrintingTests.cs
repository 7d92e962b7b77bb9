namespace Nono.Proxy.Tests.Unit;

/// <summary>Configurations reach logs and exception messages through ToString: secrets must not come with them.</summary>
public sealed class ConfigPrintingTests
{
    private const string Password = "corp-proxy-password-7c1e";
    private const string Token = "fixed-session-token-93ab";

    private static ExternalProxyConfig External => new() { Address = "proxy.corp:3128", BypassHosts = ["intranet.corp"], Username = "alice", Password = Password };

    private static RouteConfig Route => new() { Prefix = "/openai", Upstream = "https://api.openai.com", CredentialKey = "env://OPENAI_REAL_KEY", EnvVar = "OPENAI_API_KEY" };

    [Fact]
    public void External_proxy_config_prints_without_its_password()
    {
        var text = External.ToString();

        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Contains("Address = proxy.corp:3128", text, StringComparison.Ordinal);
        Assert.Contains("Username = alice", text, StringComparison.Ordinal);
        Assert.Contains("Password = [redacted]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxy_config_prints_without_the_external_password_or_the_fixed_token()
    {
        var config = new ProxyConfig { ExternalProxy = External, FixedToken = Token, Routes = [Route], AllowedHosts = ["api.openai.com"] };

        var text = config.ToString();

        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.Contains("FixedToken = [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("Prefix = /openai", text, StringComparison.Ordinal);
        Assert.Contains("AllowedHosts = [api.openai.com]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_config_prints_its_credential_reference_not_a_secret()
    {
        var (reference, secret) = EndToEnd.RouteTests.Secret();

        var text = (Route with { CredentialKey = reference }).ToString();

        Assert.Contains(reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }
}
