namespace Nono.Proxy.Tests.Unit;

/// <summary>The metrics text: the exposition format, and label values escaped so none can forge a line.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Route_labels_are_escaped_and_every_series_has_help_and_type()
    {
        var metrics = new ProxyMetrics();
        metrics.RecordDecision(new NetworkAuditEvent { Mode = AuditMode.Connect, Decision = AuditDecision.Deny, ReasonCode = "host_denied", Target = "secret-host.example" });
        var text = PrometheusText.Render(metrics.Snapshot(0, 0), [new PrometheusText.RouteStatus("/a\"b\nc", true)], ready: true, draining: false);

        Assert.Contains("nono_proxy_requests_total{mode=\"connect\",decision=\"deny\",reason=\"host_denied\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("nono_proxy_credential_route_up{route=\"/a\\\"b\\nc\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-host", text, StringComparison.Ordinal);
        foreach (var name in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).Distinct())
            Assert.Contains($"# TYPE {name} ", text, StringComparison.Ordinal);
    }
}
