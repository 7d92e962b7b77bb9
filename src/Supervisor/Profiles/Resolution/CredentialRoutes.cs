using Nono.Proxy;
using Nono.Supervisor.Env;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Builds the proxy routes for <c>network.credentials</c> (built-in services, from the catalog) and
/// <c>network.custom_credentials</c>. A custom credential NAME becomes the route <c>/NAME</c>, whose
/// base URL reaches the child as <c>NAME_BASE_URL</c> (upper-cased, other characters as '_') and whose
/// phantom token goes in its <c>env_var</c>. Prefixes and variable names must not collide.
/// </summary>
internal static class CredentialRoutes
{
    /// <summary>
    /// The active routes: each name in <c>network.credentials</c> (or --credential) is a custom
    /// credential of that name if one is defined, else a built-in service. A custom credential that
    /// is defined but not listed stays inactive, as in nono; <paramref name="notices"/> says so.
    /// </summary>
    public static IReadOnlyList<RouteConfig> Build(NetworkSpec network, ICredentialServiceCatalog catalog, HostEnvironment host, List<string>? notices = null)
    {
        var custom = network.CustomCredentials.ToDictionary(spec => spec.Name, StringComparer.Ordinal);
        var routes = new List<(RouteConfig Route, SourceLocation Where)>();
        foreach (var name in network.Credentials.DistinctBy(name => name.Value))
        {
            if (custom.TryGetValue(name.Value, out var spec))
            {
                routes.Add((ToRoute(spec, host), spec.Where));
                continue;
            }

            if (!catalog.TryGet(name.Value, out var route))
            {
                var known = catalog.Names.Count > 0 ? $"; built-in services: {string.Join(", ", catalog.Names.Order(StringComparer.Ordinal))}" : string.Empty;
                throw ProfileException.At(name.Where, $"unknown credential service '{name.Value}'{known}. To use your own, define network.custom_credentials.{name.Value} and list it here");
            }

            routes.Add((route, name.Where));
        }

        var listed = network.Credentials.Select(name => name.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var unlisted in network.CustomCredentials.Where(spec => !listed.Contains(spec.Name)))
        {
            notices?.Add($"{unlisted.Where}: custom credential '{unlisted.Name}' is defined but not listed in network.credentials, so it is inactive; add \"{unlisted.Name}\" to network.credentials or pass --credential {unlisted.Name}");
        }

        CheckCollisions(routes);
        return [.. routes.Select(r => r.Route)];
    }

    public static RouteConfig ToRoute(CustomCredentialSpec spec, HostEnvironment host) => new()
    {
        Prefix = "/" + spec.Name,
        Upstream = spec.Upstream,
        CredentialKey = ExpandFileKey(spec, host),
        InjectMode = spec.InjectMode,
        InjectHeader = spec.InjectHeader ?? "Authorization",
        CredentialFormat = spec.CredentialFormat ?? "Bearer {}",
        PathPattern = spec.PathPattern,
        PathReplacement = spec.PathReplacement,
        QueryParamName = spec.QueryParamName,
        EnvVar = spec.EnvVar?.Value,
        BaseUrlEnvVar = ChildEnvironmentBuilder.BaseUrlVariable(spec.Name),
        EndpointRules = spec.EndpointRules,
        UpstreamCaPath = TlsPath(spec, spec.TlsCa, "tls_ca", host),
        ClientCertificatePath = TlsPath(spec, spec.TlsClientCert, "tls_client_cert", host),
        ClientKeyPath = TlsPath(spec, spec.TlsClientKey, "tls_client_key", host),
    };

    private static string? TlsPath(CustomCredentialSpec spec, Located<string>? file, string key, HostEnvironment host) =>
        file is null ? null : PathVariables.Expand(file.Value, file.Where, $"network.custom_credentials.{spec.Name}.{key}", host);

    /// <summary>Hosts the routes forward to; a credential route implies its upstream is allowed.</summary>
    public static IEnumerable<string> UpstreamHosts(IEnumerable<RouteConfig> routes) =>
        routes.Select(route => new Uri(route.Upstream).IdnHost.ToLowerInvariant());

    /// <summary><c>file://~/...</c> and <c>file://$HOME/...</c> are expanded like profile paths.</summary>
    private static string ExpandFileKey(CustomCredentialSpec spec, HostEnvironment host)
    {
        const string Scheme = "file://";
        if (!spec.CredentialKey.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return spec.CredentialKey;
        }

        var path = spec.CredentialKey[Scheme.Length..];
        return Scheme + PathVariables.Expand(path, spec.Where, $"network.custom_credentials.{spec.Name}.credential_key", host);
    }

    private static void CheckCollisions(List<(RouteConfig Route, SourceLocation Where)> routes)
    {
        var prefixes = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (route, where) in routes)
        {
            if (!prefixes.TryAdd(route.Prefix, where))
            {
                throw ProfileException.At(where, $"two credential routes use the prefix '{route.Prefix}' (the other at {prefixes[route.Prefix]}); rename one");
            }

            foreach (var variable in new[] { route.EnvVar, route.BaseUrlEnvVar }.OfType<string>())
            {
                if (!VariableRules.IsValidName(variable))
                {
                    throw ProfileException.At(where, $"'{variable}' is not a valid environment variable name for route '{route.Prefix}'");
                }

                if (ChildEnvironmentBuilder.RefusalForSetVar(variable, new HashSet<string>()) is { } reason)
                {
                    throw ProfileException.At(where, $"route '{route.Prefix}': {reason}");
                }

                if (!variables.TryAdd(variable, route.Prefix))
                {
                    throw ProfileException.At(where, $"routes '{variables[variable]}' and '{route.Prefix}' both set '{variable}'; give one a different env_var");
                }
            }
        }
    }
}
