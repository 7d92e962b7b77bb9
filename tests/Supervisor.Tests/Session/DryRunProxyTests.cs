using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Tests.Session;

/// <summary>The proxy part of `--dry-run`: what the proxy would refuse, not only what it lets through.</summary>
public sealed class DryRunProxyTests
{
    [Fact]
    public void Denied_hosts_and_endpoint_rules_are_printed()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """
            {"network": {
              "allow_domain": ["*.example.com", {"domain": "api.example.org", "endpoints": [{"method": "GET", "path": "/v1/**"}]}],
              "deny_domain": ["ads.example.com"]
            }}
            """);
        var text = DryRun(host, new SessionFlags { Profile = "p" });

        Assert.Contains("proxy denies: ads.example.com (even where allowed)", text, StringComparison.Ordinal);
        Assert.Contains("endpoints: api.example.org only GET /v1/**", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_deny_rules_the_dry_run_says_so()
    {
        using var host = new TestHost();

        var text = DryRun(host, new SessionFlags { AllowDomains = ["api.example.com"] });

        Assert.Contains("proxy denies: no host", text, StringComparison.Ordinal);
        Assert.DoesNotContain("endpoints:", text, StringComparison.Ordinal);
    }

    private static string DryRun(TestHost host, SessionFlags flags)
    {
        var settings = host.Resolve(flags);
        var request = new SessionRequest { Flags = flags, Command = ["true"], WorkingDirectory = host.Work, DryRun = true };
        var output = new StringWriter();
        Assert.Equal(0, DryRunProxy.Print(output, request, settings, MacOSSessionPlan.ProxyConfigFor(settings, request), "loopback"));
        return output.ToString();
    }
}
