using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy.Filter;

/// <summary>
/// Decides whether the proxy may connect to a host, and to which addresses. The hard deny list and the
/// configured <see cref="ProxyConfig.DeniedHosts"/> win over the allowlist (wildcards, routes and host
/// endpoint entries included); a name is resolved once and refused if any of its addresses is denied, and the
/// resolved addresses are what the caller connects to (so a DNS answer cannot change in between).
/// With an allowlist, a name that resolves to a loopback address is refused unless loopback itself is
/// allowed explicitly (<c>localhost</c> or a loopback literal in the list) or the name is a route's
/// upstream: a wildcard entry plus a DNS answer chosen by someone else must not open the host's loopback.
/// </summary>
internal sealed partial class HostFilter
{
    private readonly HostPatterns _allowed;
    private readonly HostPatterns _denied;
    private readonly HostPatterns? _bypass;
    private readonly bool _hasExternalProxy;
    private readonly bool _restricted;
    private readonly bool _loopbackAllowed;
    private readonly HashSet<string> _routeHosts = new(StringComparer.Ordinal);
    private readonly Func<string, CancellationToken, ValueTask<IPAddress[]>> _resolve;
    private readonly SessionHosts? _session;

    public HostFilter(ProxyConfig config)
    {
        // Host endpoint entries add to a restricted allowlist; they do not restrict a proxy that allows every host.
        _restricted = config.DenyUnlistedHosts || !new HostPatterns(config.AllowedHosts).IsEmpty;
        _allowed = new HostPatterns(config.AllowedHosts.Concat(config.HostEndpoints.Select(entry => entry.Host)));
        _denied = new HostPatterns(config.DeniedHosts);
        if (_restricted)
        {
            // A route's upstream is named by the configuration itself, so it is reachable without a separate allowlist entry.
            foreach (var route in config.Routes)
            {
                var upstreamHost = new Uri(route.Upstream).IdnHost;
                _allowed.AddExact(upstreamHost);
                _routeHosts.Add(HostName.Normalize(upstreamHost));
            }
        }

        _loopbackAllowed = !_restricted || config.AllowedHosts.Any(NamesLoopback);
        _session = config.SessionHosts;
        _hasExternalProxy = config.ExternalProxy is not null;
        _bypass = config.ExternalProxy is { } external ? new HostPatterns(external.BypassHosts) : null;
        _resolve = config.Resolver ?? (static async (host, ct) => await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false));
    }

    /// <summary>Checks the name alone (deny list, allowlist, literal addresses) without resolving it.</summary>
    public FilterDecision CheckName(string host, int port) => Counted(CheckNameUncounted(host, port));

    private FilterDecision CheckNameUncounted(string host, int port)
    {
        var normalized = HostName.Normalize(host);
        if (!HostName.IsWellFormed(normalized))
            return FilterDecision.Deny(normalized, "malformed host name");
        if (port is <= 0 or > 65535)
            return FilterDecision.Deny(normalized, "invalid port");

        var via = _hasExternalProxy && !_bypass!.Matches(normalized);
        switch (IpLiteral.Classify(normalized, out var literal))
        {
            case IpLiteral.Kind.Invalid:
                return FilterDecision.Deny(normalized, "numeric host that is not a valid IP address");
            case IpLiteral.Kind.Address:
                var display = HostPatterns.Display(literal!);
                if (DenyList.Check(literal!) is { } why)
                    return FilterDecision.Deny(display, why + " (always denied)");
                return Listed(display, [literal!], via);
        }

        if (DenyList.IsMetadataName(normalized))
            return FilterDecision.Deny(normalized, "cloud metadata host (always denied)");
        return Listed(normalized, [], via);
    }

    /// <summary>Full check: the name, then every address it resolves to.</summary>
    public async ValueTask<FilterDecision> CheckAsync(string host, int port, CancellationToken ct)
    {
        var decision = CheckName(host, port);
        if (!decision.Allowed || decision.Addresses.Length > 0)
            return decision;

        IPAddress[] addresses;
        try
        {
            addresses = await _resolve(decision.Host, ct).ConfigureAwait(false);
        }
        catch (SocketException) when (decision.ViaExternalProxy)
        {
            // The external proxy resolves names this machine may not see; the name checks still applied.
            return decision;
        }
        catch (SocketException e)
        {
            return FilterDecision.Deny(decision.Host, $"name resolution failed ({e.SocketErrorCode})") with { ResolutionFailed = true };
        }

        foreach (var address in addresses)
        {
            if (DenyList.Check(address) is { } why)
                return Counted(FilterDecision.Deny(decision.Host, $"resolves to {why} {HostPatterns.Display(address)} (always denied)"));
        }

        if (!_loopbackAllowed && _session?.AllowsLoopback() != true && !_routeHosts.Contains(decision.Host) && Array.Find(addresses, IsLoopback) is { } loopback)
        {
            return Counted(FilterDecision.Deny(decision.Host,
                $"resolves to the loopback address {HostPatterns.Display(loopback)}, and loopback is not in the allowlist (allow localhost or {HostPatterns.Display(loopback)} explicitly)"));
        }

        if (addresses.Length == 0 && !decision.ViaExternalProxy)
            return FilterDecision.Deny(decision.Host, "name resolved to no address") with { ResolutionFailed = true };
        return decision with { Addresses = addresses };
    }

    private static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>An allowlist entry that names loopback itself: <c>localhost</c> or a loopback literal in any spelling.</summary>
    private static bool NamesLoopback(string pattern)
    {
        var normalized = HostName.Normalize(pattern);
        return normalized == "localhost" || (IpLiteral.Classify(normalized, out var address) == IpLiteral.Kind.Address && IsLoopback(address!));
    }
}
