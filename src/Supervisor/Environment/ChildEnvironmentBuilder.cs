using Nono.Proxy;

namespace Nono.Supervisor.Env;

/// <summary>What the child's environment is built from.</summary>
internal sealed record ChildEnvironmentRequest
{
    /// <summary>The caller's environment (e.g. <see cref="System.Environment.GetEnvironmentVariables()"/>).</summary>
    public required IEnumerable<KeyValuePair<string, string>> Inherited { get; init; }

    public EnvironmentSettings Settings { get; init; } = EnvironmentSettings.Empty;

    /// <summary>The proxy's credential routes: their real credentials and phantom variables are removed from what is inherited.</summary>
    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    /// <summary><c>ProxyHandle.EnvVars()</c>: HTTP(S)_PROXY, the token, and trust variables when intercepting.</summary>
    public IEnumerable<KeyValuePair<string, string>> ProxyVariables { get; init; } = [];

    /// <summary><c>ProxyHandle.CredentialEnvVars(config)</c>: base URLs and phantom tokens.</summary>
    public IEnumerable<KeyValuePair<string, string>> CredentialVariables { get; init; } = [];

    /// <summary>Host network mode: the caller's own proxy settings still apply, so they are kept.</summary>
    public bool KeepCallerProxyVariables { get; init; }
}

/// <summary>
/// Builds the sandboxed child's environment: the caller's, minus real values of brokered credentials,
/// minus what <see cref="VariableRules"/> strips, filtered by the profile, plus the profile's
/// <c>set_vars</c>, plus the proxy's variables (which win). The result is sorted and has unique
/// names. Nothing here logs, and no error message contains a value.
/// </summary>
internal static class ChildEnvironmentBuilder
{
    public static IReadOnlyList<KeyValuePair<string, string>> Build(ChildEnvironmentRequest request)
    {
        var brokered = BrokeredNames(request.Routes);
        var proxyVariables = request.ProxyVariables.ToList();
        var replaceTrust = proxyVariables.Any(pair => VariableRules.Match(pair.Key)?.Kind == VariableKind.TrustStore);
        var settings = request.Settings;
        var exactAllows = settings.AllowVars.Where(p => !p.EndsWith('*')).Concat(settings.KeepVars).ToHashSet(StringComparer.Ordinal);

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Inherited)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || brokered.Contains(name))
            {
                continue;
            }

            if (Inherits(name, value, VariableRules.Match(name), settings, exactAllows, replaceTrust, request.KeepCallerProxyVariables))
            {
                result[name] = value;
            }
        }

        foreach (var (name, value) in settings.SetVars)
        {
            if (RefusalForSetVar(name, brokered) is { } reason)
            {
                throw new Profiles.ProfileException($"environment.set_vars: {reason}");
            }

            result[name] = value;
        }

        foreach (var (name, value) in proxyVariables.Concat(request.CredentialVariables))
        {
            result[name] = value;
        }

        return [.. result.OrderBy(pair => pair.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Variables that carry, or will carry, a route's credential: the <c>env://</c> source of the real
    /// value, and the route's phantom and base-URL variables (re-set by the proxy). Never inherited.
    /// </summary>
    public static IReadOnlySet<string> BrokeredNames(IReadOnlyList<RouteConfig> routes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            foreach (var key in route.FallbackCredentialKeys.Prepend(route.CredentialKey).OfType<string>())
            {
                if (key.StartsWith("env://", StringComparison.Ordinal))
                {
                    names.Add(key["env://".Length..]);
                }
            }

            if (route.EnvVar is { } envVar)
            {
                names.Add(envVar);
            }

            names.Add(route.BaseUrlEnvVar ?? BaseUrlVariable(route.Prefix.Trim('/')));
        }

        return names;
    }

    /// <summary><c>NAME_BASE_URL</c> for a route name: upper-cased, anything but letters and digits as '_'.</summary>
    public static string BaseUrlVariable(string routeName) =>
        string.Concat(routeName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_')) + "_BASE_URL";

    /// <summary>Why a profile may not set <paramref name="name"/>, or null when it may.</summary>
    public static string? RefusalForSetVar(string name, IReadOnlySet<string> brokered)
    {
        if (brokered.Contains(name))
        {
            return $"'{name}' belongs to a credential route; the child gets the phantom token or base URL there, so it cannot be set";
        }

        return VariableRules.Match(name) switch
        {
            { Kind: VariableKind.CodeInjection } rule => $"'{name}' cannot be set by a profile: {rule.Reason}",
            { Kind: VariableKind.ProxyRouting } => $"'{name}' is set by nono's proxy and cannot be set by a profile",
            _ => null,
        };
    }

    private static bool Inherits(
        string name,
        string value,
        VariableRule? rule,
        EnvironmentSettings settings,
        HashSet<string> exactAllows,
        bool replaceTrust,
        bool keepCallerProxy)
    {
        if (settings.DenyVars.Any(pattern => VariableRules.MatchesProfilePattern(pattern, name)))
        {
            return false;
        }

        if (VariableRules.EmbedsPassword(value))
        {
            // REDIS_URL=redis://:pw@host, AMQP_URL=amqp://u:pw@host: a secret under any name.
            return exactAllows.Contains(name);
        }

        switch (rule?.Kind)
        {
            case VariableKind.CodeInjection or VariableKind.AmbientCredential or VariableKind.Secret:
                return exactAllows.Contains(name);
            case VariableKind.ProxyRouting when !keepCallerProxy:
                return false;
            case VariableKind.ProxyRouting when CarriesCredentials(value):
                // http://user:password@proxy:3128 is a secret like any other.
                return exactAllows.Contains(name);
            case VariableKind.TrustStore when replaceTrust:
                return false;
        }

        return settings.AllowVars.Count == 0
            || settings.AllowVars.Any(pattern => VariableRules.MatchesProfilePattern(pattern, name))
            || VariableRules.Baseline.Any(pattern => VariableRules.MatchesProfilePattern(pattern, name));
    }

    /// <summary>True when a proxy setting is a URL with a user name (and usually a password) in it.</summary>
    private static bool CarriesCredentials(string value) =>
        Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out var uri)
        && uri.UserInfo.Length > 0;
}
