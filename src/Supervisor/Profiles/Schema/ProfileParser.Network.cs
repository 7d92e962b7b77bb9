using Nono.Proxy;
using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

internal static partial class ProfileParser
{
    private static NetworkSpec ParseNetwork(JObject network, List<Located<string>> warnings)
    {
        var result = NetworkSpec.Empty;
        foreach (var property in network.Properties)
        {
            var path = "network." + property.Name;
            var value = property.Value;
            result = property.Name switch
            {
                "block" => result with { Block = Bool(value, path) },
                "allow_domain" or "proxy_allow" or "allow_proxy" => AllowDomains(result, value, path),
                "deny_domain" => result with { DenyDomain = [.. result.DenyDomain, .. HostPatterns(value, path)] },
                "network_profile" => result with { NetworkProfile = value is JNull ? [] : Groups(value, path) },
                "credentials" or "proxy_credentials" => result with { Credentials = [.. result.Credentials, .. CredentialNames(value, path)] },
                "custom_credentials" => result with { CustomCredentials = CustomCredentials(Object(value, path), path) },
                "upstream_proxy" or "external_proxy" => value is JNull ? result : result with { UpstreamProxy = UpstreamProxy(value, path) },
                "upstream_bypass" or "external_proxy_bypass" => result with { UpstreamBypass = [.. result.UpstreamBypass, .. HostPatterns(value, path)] },
                "tls_intercept" => result with { TlsIntercept = TlsIntercept(value, path, warnings) },
                "open_port" or "port_allow" or "allow_port" => result with
                {
                    ConnectPorts = [.. result.ConnectPorts, .. Ports(value, path)],
                    BindPorts = [.. result.BindPorts, .. Ports(value, path)],
                },
                "connect_port" => result with { ConnectPorts = [.. result.ConnectPorts, .. Ports(value, path)] },
                "listen_port" => result with { BindPorts = [.. result.BindPorts, .. Ports(value, path)] },
                "open_port_range" => result with
                {
                    ConnectPorts = [.. result.ConnectPorts, .. PortRanges(value, path)],
                    BindPorts = [.. result.BindPorts, .. PortRanges(value, path)],
                },
                "listen_port_range" => result with { BindPorts = [.. result.BindPorts, .. PortRanges(value, path)] },
                "allow_http2" => result with { AllowHttp2 = Bool(value, path) },
                "rate_limits" => result with { RateLimits = [.. result.RateLimits, .. RateLimits(value, path)] },
                _ => WarnNetwork(result, warnings, ProfileKeys.NotRead(property, path, path)),
            };
        }

        return result;
    }

    private static NetworkSpec WarnNetwork(NetworkSpec network, List<Located<string>> warnings, Located<string> warning)
    {
        warnings.Add(warning);
        return network;
    }

    /// <summary>More ports than this in ranges is almost certainly a mistake (each is a kernel rule).</summary>
    private const int MaxRangePorts = 4096;

    private static List<Located<int>> Ports(JNode node, string path)
    {
        if (node is not JArray list)
        {
            throw TypeError(node, path, "a list of TCP port numbers");
        }

        return [.. list.Items.Select((item, i) => Int(item, $"{path}[{i}]", 1, 65535))];
    }

    private static List<Located<int>> PortRanges(JNode node, string path)
    {
        if (node is not JArray list)
        {
            throw TypeError(node, path, "a list of [from, to] port pairs");
        }

        var ports = new List<Located<int>>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (list.Items[i] is not JArray { Items.Count: 2 } pair)
            {
                throw TypeError(list.Items[i], itemPath, "a [from, to] pair of port numbers");
            }

            var from = Int(pair.Items[0], itemPath + "[0]", 1, 65535);
            var to = Int(pair.Items[1], itemPath + "[1]", 1, 65535);
            if (to.Value < from.Value)
            {
                throw ProfileException.At(pair.Where, $"'{itemPath}': the range ends ({to.Value}) before it starts ({from.Value})");
            }

            ports.AddRange(Enumerable.Range(from.Value, to.Value - from.Value + 1).Select(port => new Located<int>(port, pair.Where)));
            if (ports.Count > MaxRangePorts)
            {
                throw ProfileException.At(pair.Where, $"'{path}' names more than {MaxRangePorts} ports; list the ports the program needs");
            }
        }

        return ports;
    }

    private static readonly string[] DomainEndpointKeys = ["domain", "endpoints"];

    /// <summary>Strings (hosts and group names) and <c>{"domain", "endpoints"}</c> objects, in any mix.</summary>
    private static NetworkSpec AllowDomains(NetworkSpec network, JNode node, string path)
    {
        if (node is not JArray list)
        {
            throw TypeError(node, path, "a list of host names, network group names or {\"domain\": ..., \"endpoints\": [...]} objects");
        }

        var hosts = new List<Located<string>>();
        var withEndpoints = new List<DomainEndpointsSpec>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var itemPath = $"{path}[{i}]";
            if (item is JObject entry)
            {
                withEndpoints.Add(DomainEndpoints(entry, itemPath));
                continue;
            }

            var host = new Located<string>(String(item, itemPath), item.Where);
            _ = NetworkGroups.Expand(host).Count();
            hosts.Add(host);
        }

        return network with
        {
            AllowDomain = [.. network.AllowDomain, .. hosts],
            DomainEndpoints = [.. network.DomainEndpoints, .. withEndpoints],
        };
    }

    private static DomainEndpointsSpec DomainEndpoints(JObject entry, string path)
    {
        Located<string>? domain = null;
        List<EndpointRule>? endpoints = null;
        foreach (var property in entry.Properties)
        {
            var key = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "domain":
                    domain = new Located<string>(HostPattern.Normalize(NonEmpty(property.Value, key), property.Value.Where), property.Value.Where);
                    break;
                case "endpoints":
                    endpoints = EndpointRules(property.Value, key);
                    break;
                default:
                    throw Unknown(property, path, DomainEndpointKeys);
            }
        }

        return new DomainEndpointsSpec(
            domain ?? throw ProfileException.At(entry.Where, $"'{path}' needs 'domain' (the host the endpoints belong to)"),
            endpoints ?? throw ProfileException.At(entry.Where, $"'{path}' needs 'endpoints' (a list of {{\"method\": ..., \"path\": ...}} rules)"));
    }

    private static List<Located<string>> Groups(JNode node, string path)
    {
        var entries = StringOrList(node, path);
        entries.ForEach(NetworkGroups.RequireGroup);
        return entries;
    }

    private static List<Located<string>> HostPatterns(JNode node, string path)
    {
        var entries = StringList(node, path);
        return [.. entries.Select(entry => entry with { Value = HostPattern.Normalize(entry.Value, entry.Where) })];
    }

    private static List<Located<string>> CredentialNames(JNode node, string path)
    {
        var entries = StringList(node, path);
        foreach (var entry in entries)
        {
            RequireServiceName(entry.Value, entry.Where, path);
        }

        return entries;
    }

    private static Located<string> UpstreamProxy(JNode node, string path)
    {
        var text = String(node, path);
        return new Located<string>(UpstreamProxyAddress.Normalize(text, node.Where), node.Where);
    }

    private static List<CustomCredentialSpec> CustomCredentials(JObject credentials, string path)
    {
        var result = new List<CustomCredentialSpec>();
        foreach (var property in credentials.Properties)
        {
            var entryPath = $"{path}.{property.Name}";
            RequireServiceName(property.Name, property.NameWhere, path);
            result.Add(ParseCustomCredential(property.Name, property.NameWhere, Object(property.Value, entryPath), entryPath));
        }

        return result;
    }

    private static TlsInterceptSpec TlsIntercept(JNode node, string path, List<Located<string>> warnings)
    {
        if (node is JBool flag)
        {
            return TlsInterceptSpec.Unset with { Enabled = new Located<bool>(flag.Value, node.Where) };
        }

        if (node is not JObject settings)
        {
            throw TypeError(node, path, "true, false or an object");
        }

        // An object turns interception on unless it says "enabled": false.
        var result = TlsInterceptSpec.Unset with { Enabled = new Located<bool>(true, node.Where) };
        foreach (var property in settings.Properties)
        {
            var key = $"{path}.{property.Name}";
            result = property.Name switch
            {
                "enabled" => result with { Enabled = Bool(property.Value, key) },
                "intercept_all" => result with { InterceptAll = Bool(property.Value, key) },
                "ca_validity_days" => result with { CaValidityDays = Int(property.Value, key, 1, 365) },
                "name_constraints" => result with { NameConstraints = Bool(property.Value, key) },
                "ca_lifecycle" => CaLifecycle(result, property.Value, key),
                "ca_validity" => result with { CaValidityDays = Duration(property.Value, key) },
                _ => WarnTls(result, warnings, ProfileKeys.NotRead(property, key, key)),
            };
        }

        return result;
    }

    private static TlsInterceptSpec WarnTls(TlsInterceptSpec tls, List<Located<string>> warnings, Located<string> warning)
    {
        warnings.Add(warning);
        return tls;
    }

    private static TlsInterceptSpec CaLifecycle(TlsInterceptSpec tls, JNode node, string path) => String(node, path) switch
    {
        "session" => tls,
        "trusted" => throw ProfileException.At(node.Where, $"'{path}': 'trusted' (a CA kept in the user's trust store) is not supported; nono makes a new CA for every session. Use \"session\""),
        var other => throw ProfileException.At(node.Where, $"'{path}' must be \"session\" or \"trusted\", not '{other}'"),
    };

    /// <summary>nono's durations (<c>24h</c>, <c>1d</c>, seconds when bare), rounded up to the whole days the CA is issued for.</summary>
    private static Located<int> Duration(JNode node, string path)
    {
        var text = String(node, path);
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var digits = char.IsAsciiLetter(unit) && text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        var seconds = unit switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L };
        if (seconds == 0 || !long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            throw ProfileException.At(node.Where, $"'{path}' must be a duration such as 3600, 90m, 24h or 1d, not '{text}'");
        }

        var days = (count * seconds + 86399) / 86400;
        return days <= 365
            ? new Located<int>((int)days, node.Where)
            : throw ProfileException.At(node.Where, $"'{path}': {text} is more than 365 days");
    }
}
