using System.Globalization;
using System.Text;

namespace Nono.Proxy;

/// <summary>Writes a <see cref="MetricsSnapshot"/> in the Prometheus text exposition format (version 0.0.4).</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>A credential route as the metrics show it: its prefix and whether its credential is loaded.</summary>
    public readonly record struct RouteStatus(string Prefix, bool Up);

    public static string Render(MetricsSnapshot m, IReadOnlyList<RouteStatus> routes, bool ready, bool draining)
    {
        var text = new StringBuilder(2048);
        Header(text, "nono_proxy_requests_total", "counter", "Decisions of the proxy by how the request arrived, the decision and its reason.");
        foreach (var (mode, decision, reason, count) in m.Requests.OrderBy(r => (r.Mode, r.Decision, r.Reason)))
            Line(text, "nono_proxy_requests_total", count, ("mode", ModeName(mode)), ("decision", decision == AuditDecision.Allow ? "allow" : "deny"), ("reason", reason));

        Header(text, "nono_proxy_client_bytes_total", "counter", "Bytes on client connections (TCP payload), by direction.");
        Line(text, "nono_proxy_client_bytes_total", m.BytesFromClients, ("direction", "from_client"));
        Line(text, "nono_proxy_client_bytes_total", m.BytesToClients, ("direction", "to_client"));

        Simple(text, "nono_proxy_connections_open", "gauge", "Client connections open now.", m.ConnectionsOpen);
        Simple(text, "nono_proxy_connections_total", "counter", "Client connections accepted.", m.ConnectionsTotal);
        Simple(text, "nono_proxy_tunnels_open", "gauge", "CONNECT and SOCKS5 tunnels open now (opaque or intercepted).", m.TunnelsOpen);

        Header(text, "nono_proxy_credential_route_up", "gauge", "1 when the route's credential is loaded (or it needs none), 0 when it failed to load.");
        foreach (var route in routes)
            Line(text, "nono_proxy_credential_route_up", route.Up ? 1 : 0, ("route", route.Prefix));
        Header(text, "nono_proxy_credential_routes", "gauge", "Credential routes by state.");
        Line(text, "nono_proxy_credential_routes", routes.Count(r => r.Up), ("state", "up"));
        Line(text, "nono_proxy_credential_routes", routes.Count(r => !r.Up), ("state", "down"));

        Header(text, "nono_proxy_reloads_total", "counter", "Configuration reloads (SIGHUP) by outcome.");
        Line(text, "nono_proxy_reloads_total", m.ReloadsOk, ("outcome", "success"));
        Line(text, "nono_proxy_reloads_total", m.ReloadsFailed, ("outcome", "failure"));
        Simple(text, "nono_proxy_config_last_reload_successful", "gauge", "0 when the last reload failed and the previous configuration is still in force.", m.LastReloadOk ? 1 : 0);
        Simple(text, "nono_proxy_config_generation", "gauge", "Configurations loaded so far (1 at start, one more per successful reload).", m.Generation);
        Simple(text, "nono_proxy_ready", "gauge", "1 while /readyz answers 200.", ready ? 1 : 0);
        Simple(text, "nono_proxy_draining", "gauge", "1 once shutdown has started.", draining ? 1 : 0);
        return text.ToString();
    }

    public static string ModeName(AuditMode mode) => mode switch
    {
        AuditMode.Connect => "connect",
        AuditMode.Forward => "forward",
        AuditMode.Reverse => "reverse",
        AuditMode.Socks5 => "socks5",
        AuditMode.External => "external",
        AuditMode.Intercept => "intercept",
        AuditMode.Reload => "reload",
        _ => "other",
    };

    private static void Simple(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        Line(text, name, value);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, long value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                    text.Append(',');
                text.Append(labels[i].Name).Append("=\"");
                Escape(text, labels[i].Value);
                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Escape(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }
}
