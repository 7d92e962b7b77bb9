using Nono.Proxy.Filter;

namespace Nono.Proxy;

/// <summary>
/// The host filter's answer for one host, without connecting: allowed and by which rule, or refused
/// and why. <see cref="ResolvedLater"/> says the name's addresses are checked only when it is used
/// (a name that resolves to a metadata or, unlisted, loopback address is refused then).
/// </summary>
public sealed record HostExplanation(bool Allowed, string Host, string Reason, bool ResolvedLater)
{
    /// <summary>
    /// Runs the same name check the proxy runs on every request and CONNECT (hard deny list, denied
    /// hosts, the session's live allowlist, the configured allowlist and routes), built from
    /// <paramref name="config"/> as the proxy would build it.
    /// </summary>
    public static HostExplanation For(ProxyConfig config, string host, int port)
    {
        ArgumentNullException.ThrowIfNull(config);
        var decision = new HostFilter(config).CheckName(host, port);
        return decision.Allowed
            ? new HostExplanation(true, decision.Host, decision.Rule ?? decision.Reason, decision.Addresses.Length == 0)
            : new HostExplanation(false, decision.Host, decision.Reason, false);
    }
}
