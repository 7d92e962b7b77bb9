using System.Globalization;
using System.Text;
using Nono.Proxy.Tls;

namespace Nono.Proxy;

public sealed partial class ProxyHandle
{
    private static readonly TimeSpan UpstreamCheckWait = TimeSpan.FromSeconds(2);

    /// <summary>Hosts clients reach directly: the proxy itself, so that credential routes are called in reverse form.</summary>
    public const string NoProxy = "localhost,127.0.0.1,::1";

    /// <summary>URL of the proxy with the session token as userinfo, so standard clients send Proxy-Authorization.</summary>
    public string ProxyUrl => $"http://{SessionToken.ProxyUser}:{Uri.EscapeDataString(Token)}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Variables that point a child's HTTP clients at the proxy. ALL_PROXY is the HTTP URL too: a socks5h
    /// URL there would break clients without SOCKS support (SOCKS5 is still served on the same port).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvVars()
    {
        var url = ProxyUrl;
        var vars = new List<KeyValuePair<string, string>>
        {
            new("HTTP_PROXY", url), new("HTTPS_PROXY", url), new("ALL_PROXY", url),
            new("http_proxy", url), new("https_proxy", url), new("all_proxy", url),
            new("NO_PROXY", NoProxy), new("no_proxy", NoProxy),
            new("NONO_PROXY_TOKEN", Token),
            new("NODE_USE_ENV_PROXY", "1"),
        };
        // The bundle holds the system roots as well as the session CA, so variables that replace a tool's trust store are safe.
        if (InterceptCaPath is { } ca)
        {
            foreach (var (name, value) in TrustEnvironment.For(ca))
                vars.Add(new(name, value));
        }

        return vars;
    }

    /// <summary>
    /// Per route whose credential is loaded: <c>NAME_BASE_URL</c> pointing at the route on this proxy, and the
    /// route's <see cref="RouteConfig.EnvVar"/> set to the phantom token (the session token, worthless elsewhere).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> CredentialEnvVars(ProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var vars = new List<KeyValuePair<string, string>>();
        foreach (var route in config.Routes)
        {
            if (Runtime.Routes.Find(route.Prefix) is not { Secret: not null })
                continue;
            vars.Add(new(route.BaseUrlEnvVar ?? EnvName(route.Prefix) + "_BASE_URL", $"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}{route.Prefix}"));
            if (route.EnvVar is { } name)
                vars.Add(new(name, Token));
        }

        return vars;
    }

    /// <summary>
    /// One line per route: prefix, upstream (with ✗ and the reason when the host filter refuses it, such
    /// as a link-local or metadata address), credential status (✓ or ✗ with its source and why), TLS
    /// interception on or off, and the number of endpoint rules. Meant to be shown at session start; it
    /// waits briefly for the upstream's name resolution started when the proxy did.
    /// </summary>
    public IReadOnlyList<string> RouteDiagnostics(ProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var lines = new List<string>();

        // One deadline for all routes: the checks run side by side, so slow DNS costs the wait once.
        var deadline = Environment.TickCount64 + (long)UpstreamCheckWait.TotalMilliseconds;
        foreach (var route in config.Routes)
        {
            var state = Runtime.Routes.Find(route.Prefix);
            var credential = state switch
            {
                null => "credential ✗ (route not loaded)",
                { NeedsCredential: false } => "credential none",
                { Secret: not null } => $"credential ✓ {state.SourceLabel}",
                _ => $"credential ✗ {state.SourceLabel} ({state.CredentialError ?? "not loaded"})",
            };
            var upstream = state?.Upstream ?? new Uri(route.Upstream);
            var intercept = Runtime.Interceptor?.ShouldIntercept(upstream.IdnHost, upstream.Port) == true ? "on" : "off";
            var left = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
            var refused = state?.UpstreamRefusal(left) is { } why ? $"  upstream ✗ ({why})" : "";
            lines.Add($"{route.Prefix} -> {route.Upstream}{refused}  {credential}  tls-intercept {intercept}  endpoint rules {route.EndpointRules.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        return lines;
    }

    /// <summary><c>/openai</c> -> <c>OPENAI</c>; <c>/my-api/v1</c> -> <c>MY_API_V1</c>.</summary>
    internal static string EnvName(string prefix)
    {
        var sb = new StringBuilder(prefix.Length);
        foreach (var c in prefix.Trim('/'))
            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        return sb.ToString();
    }
}
