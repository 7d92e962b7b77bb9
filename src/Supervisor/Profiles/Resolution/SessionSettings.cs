using Nono.Proxy;
using Nono.Sandbox;
using Nono.Supervisor.Env;

namespace Nono.Supervisor.Profiles;

/// <summary>What to resolve: everything (run, shell, wrap), or only the network (the standalone proxy,
/// whose clients bring their own isolation, so filesystem entries are not checked against this machine).</summary>
internal enum SessionScope
{
    Full,
    NetworkOnly,
}

/// <summary>
/// A session's resolved configuration: built-in base + profile (extends followed) + flags. The single
/// source for the sandbox policy, the proxy configuration and the child's environment rules.
/// </summary>
internal sealed record SessionSettings
{
    public required ResolvedProfile Profile { get; init; }

    /// <summary>Grants on real paths. Sensitive paths below them are masked by the platform layer.</summary>
    public IReadOnlyList<FsGrant> Grants { get; init; } = [];

    public IReadOnlyList<string> Denies { get; init; } = [];

    public NetworkMode NetworkMode { get; init; } = NetworkMode.Proxy;

    public IReadOnlyList<ushort> ConnectPorts { get; init; } = [];

    public IReadOnlyList<ushort> BindPorts { get; init; } = [];

    public bool RequireIsolation { get; init; }

    public bool AllowUnixSockets { get; init; }

    public required ProxySettings Proxy { get; init; }

    public EnvironmentSettings Environment { get; init; } = EnvironmentSettings.Empty;

    /// <summary>Profile paths left out because they do not exist here.</summary>
    public IReadOnlyList<SkippedPath> SkippedPaths { get; init; } = [];

    /// <summary>Other things worth telling the user (no values, no secrets).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>The sandbox policy; <paramref name="proxyPorts"/> are the proxy's listening ports in proxy mode.</summary>
    public SandboxPolicy CreateSandboxPolicy(params IReadOnlyList<ushort> proxyPorts) => CreateSandboxPolicy(proxyPorts, []);

    /// <summary>
    /// The sandbox policy with grants that exist only once the session has started, such as read
    /// access to the proxy's trust bundle (<c>ProxyHandle.InterceptCaPath</c>).
    /// </summary>
    public SandboxPolicy CreateSandboxPolicy(IReadOnlyList<ushort> proxyPorts, IReadOnlyList<FsGrant> sessionGrants)
    {
        var network = NetworkMode switch
        {
            NetworkMode.Proxy => NetworkPolicy.ViaProxy(proxyPorts),
            NetworkMode.Host => NetworkPolicy.Host,
            _ => NetworkPolicy.Blocked,
        };
        var policy = new SandboxPolicy
        {
            Grants = [.. Grants, .. sessionGrants],
            Denies = Denies,
            Network = network with { ConnectPorts = ConnectPorts, BindPorts = BindPorts },
            RequireIsolation = RequireIsolation,
            AllowUnixSockets = AllowUnixSockets,
        };
        policy.Validate();
        return policy;
    }

    public ProxyConfig CreateProxyConfig() => Proxy.ToProxyConfig();

    /// <summary>The child's environment, given the caller's and the started proxy's variables.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BuildChildEnvironment(
        IEnumerable<KeyValuePair<string, string>> inherited,
        IEnumerable<KeyValuePair<string, string>> proxyVariables,
        IEnumerable<KeyValuePair<string, string>> credentialVariables) =>
        ChildEnvironmentBuilder.Build(new ChildEnvironmentRequest
        {
            Inherited = inherited,
            Settings = Environment,
            Routes = Proxy.Routes,
            ProxyVariables = proxyVariables,
            CredentialVariables = credentialVariables,
            KeepCallerProxyVariables = NetworkMode == NetworkMode.Host,
        });
}
