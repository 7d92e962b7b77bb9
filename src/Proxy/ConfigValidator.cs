namespace Nono.Proxy;

/// <summary>Refuses configurations that are malformed or unsafe, before anything is bound or loaded.</summary>
internal static partial class ConfigValidator
{
    public static void Validate(ProxyConfig config)
    {
        if (config.MaxConnections < 0)
            throw new ProxyConfigException("MaxConnections must be 0 (unlimited) or positive");
        if (config.MaxConnectionsPerPeer < 0)
            throw new ProxyConfigException("MaxConnectionsPerPeer must be 0 (no per-address cap) or positive");
        if (config.BindPort is < 0 or > 65535)
            throw new ProxyConfigException($"bind port {config.BindPort} is out of range (0-65535)");
        // Without any listener at start, listeners come later through ProxyHandle.AddListener, and BindAddress:BindPort
        // is what clients are told to use (e.g. the port inside a child's network namespace): it must be a real one.
        if (!config.BindOwnListener && config.ListenSockets.Count == 0 && (config.BindPort == 0 || !System.Net.IPAddress.TryParse(config.BindAddress, out _)))
            throw new ProxyConfigException("the proxy has no listener: set BindOwnListener, pass ListenSockets, or set BindAddress and a non-zero BindPort for listeners added later with AddListener");
        if (config.FixedToken is { } fixedToken && string.IsNullOrWhiteSpace(fixedToken))
            throw new ProxyConfigException("a fixed proxy password must not be empty");
        // The token is also every route's phantom token: a short one could be guessed and spent.
        if (config.FixedToken is { Length: < ProxyConfig.MinimumFixedTokenLength })
            throw new ProxyConfigException($"a fixed proxy password must be at least {ProxyConfig.MinimumFixedTokenLength} characters");
        if (config.HeaderTimeout <= TimeSpan.Zero || config.ConnectTimeout <= TimeSpan.Zero || config.IdleTimeout <= TimeSpan.Zero || config.BodyProgressTimeout <= TimeSpan.Zero || config.FirstByteTimeout <= TimeSpan.Zero)
            throw new ProxyConfigException("proxy timeouts must be positive");

        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            ValidateRoute(route);
            if (!prefixes.Add(route.Prefix))
                throw new ProxyConfigException($"route prefix {route.Prefix} is configured twice");
        }

        foreach (var limit in config.RateLimits)
        {
            if (limit.Problem() is { } problem)
                throw new ProxyConfigException(problem);
            if (limit.Route is { } prefix && !prefixes.Contains(prefix))
                throw new ProxyConfigException($"rate limit for route {prefix}: no route has that prefix");
        }

        ValidateHosts(config);
    }

    private static void Field(string prefix, string field, string? problem)
    {
        if (problem is not null)
            throw new ProxyConfigException($"route {prefix}: {field}: {problem}");
    }

    private static void ValidateRoute(RouteConfig route)
    {
        var prefix = route.Prefix;
        if (prefix.Length < 2 || prefix[0] != '/' || prefix.EndsWith('/') || prefix.Contains("//", StringComparison.Ordinal)
            || prefix.Contains("/./", StringComparison.Ordinal) || prefix.Contains("/..", StringComparison.Ordinal) || prefix.Contains('?', StringComparison.Ordinal))
            throw new ProxyConfigException($"route prefix '{prefix}' must look like /name (one or more whole path segments)");

        Field(prefix, "upstream", RouteFieldRules.Upstream(route.Upstream));
        switch (route.InjectMode)
        {
            case InjectMode.Header:
                Field(prefix, "credential format", RouteFieldRules.Placeholder(route.CredentialFormat));
                Field(prefix, "inject header", RouteFieldRules.HeaderName(route.InjectHeader));
                break;
            case InjectMode.UrlPath when route.PathPattern is null:
                throw new ProxyConfigException($"route {prefix}: URL path mode needs a path pattern containing {{}}");
            case InjectMode.UrlPath:
                Field(prefix, "path pattern", RouteFieldRules.Placeholder(route.PathPattern!));
                Field(prefix, "path replacement", route.PathReplacement is { } replacement ? RouteFieldRules.Placeholder(replacement) : null);
                break;
            case InjectMode.QueryParam when string.IsNullOrWhiteSpace(route.QueryParamName):
                throw new ProxyConfigException($"route {prefix}: query parameter mode needs a parameter name");
            case InjectMode.QueryParam:
                Field(prefix, "query parameter", RouteFieldRules.QueryParamName(route.QueryParamName!));
                break;
        }

        if (route.InjectMode is InjectMode.UrlPath or InjectMode.QueryParam && route.CredentialKey is null)
            throw new ProxyConfigException($"route {prefix}: {route.InjectMode} injection needs a credential");

        foreach (var rule in route.EndpointRules)
            ValidateEndpointRule($"route {prefix}", rule);
    }
}
