using Nono.Proxy;
using Nono.Sandbox;
using Nono.Supervisor.Env;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// The one configuration path shared by <c>nono run</c>, <c>shell</c>, <c>wrap</c> and <c>proxy</c>:
/// base layer + profile (with its extends) + flags, resolved against this machine into
/// <see cref="SessionSettings"/>. Every problem is a <see cref="ProfileException"/> naming where the
/// offending setting was written.
/// </summary>
internal static partial class SessionResolver
{
    public const string DefaultProfile = "default";

    public static SessionSettings Resolve(
        HostEnvironment host,
        SessionFlags flags,
        SessionScope scope = SessionScope.Full,
        ICredentialServiceCatalog? catalog = null,
        string? defaultProfile = DefaultProfile)
    {
        var store = new ProfileStore(host);
        var profile = (flags.Profile ?? defaultProfile) is { } reference
            ? ProfileResolver.Resolve(store, reference)
            : ProfileResolver.Resolve(store, BuiltInProfiles.None);
        return Resolve(host, profile, flags, scope, catalog ?? CredentialServices.Default);
    }

    public static SessionSettings Resolve(
        HostEnvironment host,
        ResolvedProfile profile,
        SessionFlags flags,
        SessionScope scope,
        ICredentialServiceCatalog catalog)
    {
        var spec = FlagLayer.Apply(profile.Spec, flags);
        var notices = spec.Warnings.Select(warning => $"{warning.Where}: {warning.Value}").Distinct(StringComparer.Ordinal).ToList();
        var mode = NetworkModeOf(spec.Network, flags, notices);
        var routes = CredentialRoutes.Build(spec.Network, catalog, host, notices);
        var tls = TlsIntercept(spec.Network.TlsIntercept, routes.Count > 0, DomainRules.NeedsInterception(spec.Network));
        var proxy = new ProxySettings
        {
            AllowedHosts = AllowedHosts(spec.Network, routes),
            AllowAllHosts = mode == NetworkMode.Host,
            DeniedHosts = DomainRules.Denied(spec.Network, routes),
            HostEndpoints = DomainRules.Endpoints(spec.Network, routes),
            Routes = routes,
            ExternalProxy = ExternalProxy(spec.Network),
            RateLimits = RateLimitRules(spec.Network.RateLimits, routes),
            TlsIntercept = tls is not null && spec.Network.AllowHttp2 is { } http2 ? tls with { Http2 = http2.Value } : tls,
        };
        if (routes.Count > 0 && mode != NetworkMode.Proxy)
        {
            notices.Add($"network mode is {mode.ToString().ToLowerInvariant()}, so the credential routes ({string.Join(", ", routes.Select(r => r.Prefix))}) are not reachable by the program");
        }

        if (mode == NetworkMode.Host && proxy.DeniedHosts.Count + proxy.HostEndpoints.Count > 0)
        {
            notices.Add("network mode is host (--allow-net): the program does not go through the proxy, so deny_domain and allow_domain endpoint rules do not apply");
        }

        var environment = EnvironmentOf(spec.Environment, routes, mode);
        var filesystem = scope == SessionScope.Full
            ? FilesystemResolver.Resolve([.. spec.Filesystem, .. Toolchains.ToolchainDirectories.Entries(host)], host)
            : new FilesystemPlan([], [], []);
        var denies = AgentSocketDenies(host, filesystem, environment);
        denies.AddRange(ClientKeyDenies(filesystem, routes, spec.Network));
        if (scope == SessionScope.Full)
        {
            denies.AddRange(CommandMasks.Resolve(spec.DenyCommands, host));
        }

        return new SessionSettings
        {
            Profile = profile with { Spec = spec },
            Grants = filesystem.Grants,
            Denies = [.. filesystem.Denies.Concat(denies).Distinct(StringComparer.Ordinal)],
            NetworkMode = mode,
            ConnectPorts = [.. flags.ConnectPorts.Concat(spec.Network.ConnectPorts.Select(port => (ushort)port.Value)).Distinct()],
            BindPorts = [.. flags.BindPorts.Concat(spec.Network.BindPorts.Select(port => (ushort)port.Value)).Distinct()],
            RequireIsolation = flags.RequireIsolation,
            AllowUnixSockets = flags.AllowUnixSockets,
            Proxy = proxy,
            Environment = environment,
            SkippedPaths = filesystem.Skipped,
            Notices = notices,
        };
    }

    private static NetworkMode NetworkModeOf(NetworkSpec network, SessionFlags flags, List<string> notices)
    {
        if (flags.AllowNetwork && flags.BlockNetwork)
        {
            throw new ProfileException($"{FlagNames.AllowNet} and {FlagNames.BlockNet} contradict each other; give one of them");
        }

        if (flags.AllowNetwork && flags.AllowDomains.Count > 0)
        {
            throw new ProfileException($"{FlagNames.AllowNet} allows every host, so {FlagNames.AllowDomain} has no effect; give one of them");
        }

        if (flags.AllowNetwork)
        {
            return NetworkMode.Host;
        }

        if (network.Block is { Value: true } block)
        {
            if (network.AllowDomain.Count + network.NetworkProfile.Count > 0)
            {
                notices.Add($"network access is blocked ({block.Where}); the allowed hosts are not used");
            }

            return NetworkMode.Blocked;
        }

        return NetworkMode.Proxy;
    }

    private static List<string> AllowedHosts(NetworkSpec network, IReadOnlyList<RouteConfig> routes) =>
    [
        .. network.NetworkProfile.SelectMany(group => NetworkGroups.Hosts(group.Value))
            .Concat(network.AllowDomain.SelectMany(NetworkGroups.Expand))
            .Concat(CredentialRoutes.UpstreamHosts(routes))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    private static ExternalProxyConfig? ExternalProxy(NetworkSpec network)
    {
        if (network.UpstreamProxy is null)
        {
            return network.UpstreamBypass.Count == 0
                ? null
                : throw ProfileException.At(network.UpstreamBypass[0].Where,
                    "upstream_bypass lists hosts to reach without the upstream proxy, but no upstream_proxy is set; set one or remove the bypass list");
        }

        return new ExternalProxyConfig
        {
            Address = network.UpstreamProxy.Value,
            BypassHosts = [.. network.UpstreamBypass.Select(entry => entry.Value)],
        };
    }

    /// <param name="endpointRules">Where an allow_domain entry with endpoints was given, if one was: it needs interception.</param>
    private static TlsInterceptConfig? TlsIntercept(TlsInterceptSpec spec, bool hasRoutes, SourceLocation? endpointRules)
    {
        // Setting an interception option asks for interception, as a tls_intercept object does.
        var option = spec.InterceptAll?.Where ?? spec.CaValidityDays?.Where ?? spec.NameConstraints?.Where;
        var enabled = spec.Enabled?.Value ?? (hasRoutes || option is not null || endpointRules is not null);
        if (!enabled && endpointRules is not null)
        {
            throw ProfileException.At(endpointRules,
                $"network.allow_domain: endpoint rules need TLS interception to see the requests, and it is turned off ({spec.Enabled!.Where}); enable tls_intercept or give the domain as a plain string");
        }

        if (!enabled)
        {
            return option is null
                ? null
                : throw ProfileException.At(option, "TLS interception is turned off, so this tls_intercept setting would have no effect; remove it or enable interception");
        }

        return new TlsInterceptConfig
        {
            InterceptAll = spec.InterceptAll?.Value ?? false,
            CaValidityDays = spec.CaValidityDays?.Value ?? 1,
            NameConstraints = spec.NameConstraints?.Value ?? true,
        };
    }

    private static EnvironmentSettings EnvironmentOf(EnvironmentSpec spec, IReadOnlyList<RouteConfig> routes, NetworkMode mode)
    {
        var brokered = ChildEnvironmentBuilder.BrokeredNames(routes);
        foreach (var set in spec.SetVars)
        {
            if (ChildEnvironmentBuilder.RefusalForSetVar(set.Name, brokered) is { } reason)
            {
                throw ProfileException.At(set.Where, $"environment.set_vars: {reason}");
            }
        }

        foreach (var allow in spec.AllowVars)
        {
            if (brokered.Contains(allow.Value))
            {
                throw ProfileException.At(allow.Where, $"environment.allow_vars: '{allow.Value}' is brokered by a credential route; its real value is never passed to the program");
            }

            if (mode != NetworkMode.Host && VariableRules.Match(allow.Value) is { Kind: VariableKind.ProxyRouting })
            {
                throw ProfileException.At(allow.Where, $"environment.allow_vars: '{allow.Value}' is replaced by nono's proxy and cannot be inherited");
            }
        }

        return new EnvironmentSettings
        {
            AllowVars = [.. spec.AllowVars.Select(v => v.Value)],
            DenyVars = [.. spec.DenyVars.Select(v => v.Value)],
            SetVars = [.. spec.SetVars.Select(v => KeyValuePair.Create(v.Name, v.Value))],
        };
    }

    /// <summary>
    /// The caller's ssh-agent socket often lives in a granted directory (/tmp/ssh-*/agent.N). Removing
    /// SSH_AUTH_SOCK from the environment does not stop a program from finding it, so it is masked too,
    /// unless the profile deliberately passes SSH_AUTH_SOCK through.
    /// </summary>
    private static List<string> AgentSocketDenies(HostEnvironment host, FilesystemPlan filesystem, EnvironmentSettings environment)
    {
        if (environment.AllowVars.Contains("SSH_AUTH_SOCK")
            || !host.Variables.TryGetValue("SSH_AUTH_SOCK", out var socket)
            || !Path.IsPathFullyQualified(socket)
            || RealPath.Resolve(PathUtil.Normalize(socket, "/")) is not { } real)
        {
            return [];
        }

        var covered = filesystem.Grants.Any(g => g.Target == FsTarget.Directory && PathUtil.IsSameOrBelow(real, g.Path));
        var grantedExplicitly = filesystem.Grants.Any(g => PathUtil.IsSameOrBelow(g.Path, real));
        return covered && !grantedExplicitly ? [real] : [];
    }
}
