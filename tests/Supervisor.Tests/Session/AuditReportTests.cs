using Nono.Proxy;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Tests.Session;

public sealed class AuditReportTests
{
    [Fact]
    public void Refused_hosts_are_counted_with_the_flag_that_allows_them()
    {
        NetworkAuditEvent[] events =
        [
            Deny("evil.example", "host not in allowlist"),
            Deny("evil.example", "host not in allowlist"),
            Deny("evil.example", "host not in allowlist"),
            new() { Decision = AuditDecision.Allow, Target = "api.example.com" },
            Deny("169.254.169.254", "metadata address"),
            Deny("other.example", "host not in allowlist"),
        ];

        var lines = AuditReport.Summary(events).ToArray();

        Assert.Equal(
            [
                "nono: denied: 169.254.169.254 (1 request): metadata address",
                "nono: denied: evil.example (3 requests) — allow with --allow-domain evil.example",
                "nono: denied: other.example (1 request) — allow with --allow-domain other.example",
            ],
            lines);
    }

    [Fact]
    public void Nothing_refused_means_no_summary() =>
        Assert.Empty(AuditReport.Summary([new NetworkAuditEvent { Decision = AuditDecision.Allow, Target = "a.example" }]));

    private static NetworkAuditEvent Deny(string target, string reason) =>
        new() { Decision = AuditDecision.Deny, Target = target, Reason = reason, Status = 403 };
}
