using System.Globalization;
using Nono.Proxy;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// The proxy half of a supervised session's `--dry-run`, the same on every platform: where it would
/// listen, the hosts it allows and denies, the method and path rules of hosts and routes that have
/// them, routes with where their credential comes from (by scheme and name
/// only: nothing is loaded, so no secret can appear), upstream proxy, interception and audit log.
/// </summary>
internal static class DryRunProxy
{
    /// <param name="where">Where the proxy listens, as the platform's launch arranges it.</param>
    public static int Print(TextWriter output, SessionRequest request, SessionSettings settings, ProxyConfig? proxy, string where)
    {
        if (proxy is null)
        {
            output.WriteLine($"proxy: none (network mode {settings.NetworkMode.ToString().ToLowerInvariant()})");
            return 0;
        }

        output.WriteLine($"proxy: {where}; session token generated at start");
        output.WriteLine(settings.Proxy.AllowAllHosts
            ? "proxy allows: every host (except metadata and link-local addresses)"
            : settings.Proxy.AllowedHosts.Count == 0
                ? "proxy allows: no host"
                : $"proxy allows: {string.Join(", ", settings.Proxy.AllowedHosts)}");
        output.WriteLine(proxy.DeniedHosts.Count == 0
            ? "proxy denies: no host"
            : $"proxy denies: {string.Join(", ", proxy.DeniedHosts)} (even where allowed)");
        foreach (var host in proxy.HostEndpoints)
        {
            output.WriteLine($"endpoints: {host.Host} only {Rules(host.Rules)}");
        }

        foreach (var route in proxy.Routes)
        {
            output.WriteLine($"route: {route.Prefix} -> {route.Upstream}  inject {route.InjectMode.ToString().ToLowerInvariant()}  credential {string.Join(" else ", route.FallbackCredentialKeys.Prepend(route.CredentialKey).Select(CredentialSource).Distinct(StringComparer.Ordinal))}  env {route.EnvVar ?? "-"}");
            if (route.EndpointRules.Count > 0)
            {
                output.WriteLine($"route: {route.Prefix} only {Rules(route.EndpointRules)}");
            }
        }

        if (proxy.ExternalProxy is { } upstream)
        {
            output.WriteLine($"upstream proxy: {upstream.Address}; bypass: {(upstream.BypassHosts.Count == 0 ? "none" : string.Join(", ", upstream.BypassHosts))}");
        }

        output.WriteLine(proxy.TlsIntercept is { } tls
            ? $"tls interception: on ({(tls.InterceptAll ? "every host" : "credential routes")}, CA valid {tls.CaValidityDays.ToString(CultureInfo.InvariantCulture)} day(s))"
            : "tls interception: off");
        if (request.AuditLog is { } log)
        {
            output.WriteLine($"audit log: {log}");
        }

        return 0;
    }

    /// <summary>Method and path pairs as the proxy matches them; any other request to that host or route is refused.</summary>
    private static string Rules(IReadOnlyList<EndpointRule> rules) =>
        string.Join(", ", rules.Select(rule => $"{rule.Method} {rule.PathGlob}"));

    /// <summary>Where a credential comes from, without anything that could be the secret itself.</summary>
    private static string CredentialSource(string? key)
    {
        if (key is null)
        {
            return "none";
        }

        var scheme = key.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? key[..at] : "keyring";
        return scheme is "env" or "file" ? key : scheme + "://…";
    }
}
