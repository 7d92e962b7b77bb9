using Nono.Supervisor.Profiles.Json;

namespace Nono.Supervisor.Profiles;

internal static partial class ProfileParser
{
    private static readonly string[] NetworkKeys =
        ["block", "allow_domain", "network_profile", "credentials", "custom_credentials", "upstream_proxy", "upstream_bypass", "tls_intercept", "rate_limits"];

    private static readonly string[] TlsKeys = ["enabled", "intercept_all", "ca_validity_days", "name_constraints"];

    private static NetworkSpec ParseNetwork(JObject network)
    {
        var result = NetworkSpec.Empty;
        foreach (var property in network.Properties)
        {
            var path = "network." + property.Name;
            result = property.Name switch
            {
                "block" => result with { Block = Bool(property.Value, path) },
                "allow_domain" => result with { AllowDomain = AllowDomains(property.Value, path) },
                "network_profile" => result with { NetworkProfile = Groups(property.Value, path) },
                "credentials" => result with { Credentials = CredentialNames(property.Value, path) },
                "custom_credentials" => result with { CustomCredentials = CustomCredentials(Object(property.Value, path), path) },
                "upstream_proxy" => result with { UpstreamProxy = UpstreamProxy(property.Value, path) },
                "upstream_bypass" => result with { UpstreamBypass = HostPatterns(property.Value, path) },
                "tls_intercept" => result with { TlsIntercept = TlsIntercept(property.Value, path) },
                "rate_limits" => result with { RateLimits = RateLimits(property.Value, path) },
                _ => throw Unknown(property, "network", NetworkKeys),
            };
        }

        return result;
    }

    private static List<Located<string>> AllowDomains(JNode node, string path)
    {
        var entries = StringList(node, path);
        foreach (var entry in entries)
        {
            _ = NetworkGroups.Expand(entry).Count();
        }

        return entries;
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

    private static TlsInterceptSpec TlsIntercept(JNode node, string path)
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
                _ => throw Unknown(property, path, TlsKeys),
            };
        }

        return result;
    }
}
