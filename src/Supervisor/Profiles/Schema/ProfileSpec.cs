namespace Nono.Supervisor.Profiles;

/// <summary>
/// One profile as written (or several merged): paths unexpanded, names unresolved, every value with
/// its location. <see cref="ProfileMerger"/> combines layers; <see cref="SessionResolver"/> turns the
/// result into a sandbox policy and proxy settings.
/// </summary>
internal sealed record ProfileSpec
{
    public static ProfileSpec Empty { get; } = new();

    public string? Description { get; init; }

    public ProfileMeta Meta { get; init; } = ProfileMeta.Empty;

    public IReadOnlyList<Located<string>> Extends { get; init; } = [];

    public IReadOnlyList<PathEntry> Filesystem { get; init; } = [];

    public NetworkSpec Network { get; init; } = NetworkSpec.Empty;

    public EnvironmentSpec Environment { get; init; } = EnvironmentSpec.Empty;

    /// <summary><c>groups.include</c>: filesystem group names (see <see cref="FilesystemGroups"/>).</summary>
    public IReadOnlyList<Located<string>> IncludeGroups { get; init; } = [];

    /// <summary><c>groups.exclude</c>: removed from the included set; a required group cannot be.</summary>
    public IReadOnlyList<Located<string>> ExcludeGroups { get; init; } = [];

    /// <summary><c>workdir.access</c>: none, read, write or readwrite.</summary>
    public Located<string>? WorkdirAccess { get; init; }

    /// <summary><c>commands.deny</c>: programs made unrunnable by masking their files.</summary>
    public IReadOnlyList<Located<string>> DenyCommands { get; init; } = [];

    /// <summary><c>commands.allow</c>: taken out of the denied commands.</summary>
    public IReadOnlyList<Located<string>> AllowCommands { get; init; } = [];

    /// <summary><c>filesystem.bypass_protection</c>: paths exempted from group denies.</summary>
    public IReadOnlyList<Located<string>> BypassProtection { get; init; } = [];

    /// <summary><c>security.*</c> values as written (checked when parsed).</summary>
    public IReadOnlyList<KeyValuePair<string, Located<string>>> Security { get; init; } = [];

    /// <summary><c>platform_overrides.PLATFORM</c>: patches merged after <c>extends</c>, for this platform only.</summary>
    public IReadOnlyList<KeyValuePair<string, ProfileSpec>> PlatformOverrides { get; init; } = [];

    /// <summary>Keys accepted without effect, each with the reason; printed once as a warning.</summary>
    public IReadOnlyList<Located<string>> Warnings { get; init; } = [];
}

/// <summary>Free-form identification of a profile; informational only.</summary>
internal sealed record ProfileMeta(string? Name, string? Version, string? Description, string? Author)
{
    public static ProfileMeta Empty { get; } = new(null, null, null, null);
}

/// <summary>The <c>filesystem</c> keys. Which rights each one grants is decided in <see cref="PathRules"/>.</summary>
internal enum PathRule
{
    Allow,
    Read,
    Write,
    AllowFile,
    ReadFile,
    WriteFile,
    Deny,
}

/// <summary>One entry of a <c>filesystem</c> list, as written (variables not yet expanded).</summary>
/// <remarks><see cref="Group"/> names the filesystem group an entry came from (its denies can be
/// bypassed with <c>bypass_protection</c>; its grants take files and directories alike).</remarks>
internal sealed record PathEntry(PathRule Rule, string Raw, SourceLocation Where, bool FromFlag = false, string? Group = null);

internal sealed record NetworkSpec
{
    public static NetworkSpec Empty { get; } = new();

    public Located<bool>? Block { get; init; }

    /// <summary>Host patterns and network group names.</summary>
    public IReadOnlyList<Located<string>> AllowDomain { get; init; } = [];

    /// <summary><c>allow_domain</c> entries that are objects: a host allowed with method and path rules.</summary>
    public IReadOnlyList<DomainEndpointsSpec> DomainEndpoints { get; init; } = [];

    /// <summary>Network group names.</summary>
    public IReadOnlyList<Located<string>> NetworkProfile { get; init; } = [];

    /// <summary>Built-in credential service names.</summary>
    public IReadOnlyList<Located<string>> Credentials { get; init; } = [];

    public IReadOnlyList<CustomCredentialSpec> CustomCredentials { get; init; } = [];

    public Located<string>? UpstreamProxy { get; init; }

    public IReadOnlyList<Located<string>> UpstreamBypass { get; init; } = [];

    public TlsInterceptSpec TlsIntercept { get; init; } = TlsInterceptSpec.Unset;

    /// <summary><c>rate_limits</c> (ours, not nono's): per-host and per-route request budgets.</summary>
    public IReadOnlyList<RateLimitSpec> RateLimits { get; init; } = [];

    /// <summary><c>deny_domain</c>: host patterns refused even when allowed.</summary>
    public IReadOnlyList<Located<string>> DenyDomain { get; init; } = [];

    /// <summary><c>open_port</c>, <c>connect_port</c> and ranges: host loopback ports the program may connect to.</summary>
    public IReadOnlyList<Located<int>> ConnectPorts { get; init; } = [];

    /// <summary><c>open_port</c>, <c>listen_port</c> and ranges: ports the program may listen on.</summary>
    public IReadOnlyList<Located<int>> BindPorts { get; init; } = [];

    public Located<bool>? AllowHttp2 { get; init; }
}

/// <summary>
/// An <c>allow_domain</c> object entry: <c>{"domain": ..., "endpoints": [{"method": ..., "path": ...}]}</c>.
/// With endpoints, only the listed method and path pairs reach the host, through TLS interception.
/// </summary>
internal sealed record DomainEndpointsSpec(Located<string> Domain, IReadOnlyList<Proxy.EndpointRule> Endpoints);

/// <summary>
/// <c>network.tls_intercept</c>: <c>true</c>/<c>false</c>, or an object with <c>enabled</c>,
/// <c>intercept_all</c>, <c>ca_validity_days</c>, <c>name_constraints</c>. Unset fields inherit;
/// interception left unset is on exactly when a credential route exists.
/// </summary>
internal sealed record TlsInterceptSpec(
    Located<bool>? Enabled,
    Located<bool>? InterceptAll,
    Located<int>? CaValidityDays,
    Located<bool>? NameConstraints)
{
    public static TlsInterceptSpec Unset { get; } = new(null, null, null, null);

    public bool IsUnset => Enabled is null && InterceptAll is null && CaValidityDays is null && NameConstraints is null;
}

/// <summary>One <c>network.custom_credentials.NAME</c> entry, validated for shape when parsed.</summary>
internal sealed record CustomCredentialSpec
{
    public required string Name { get; init; }

    public required SourceLocation Where { get; init; }

    public required string Upstream { get; init; }

    public required string CredentialKey { get; init; }

    public Proxy.InjectMode InjectMode { get; init; } = Proxy.InjectMode.Header;

    public string? InjectHeader { get; init; }

    public string? CredentialFormat { get; init; }

    public string? PathPattern { get; init; }

    public string? PathReplacement { get; init; }

    public string? QueryParamName { get; init; }

    public Located<string>? EnvVar { get; init; }

    public IReadOnlyList<Proxy.EndpointRule> EndpointRules { get; init; } = [];

    /// <summary><c>tls_ca</c>: a PEM CA file trusted for this upstream in addition to the system roots (path as written).</summary>
    public Located<string>? TlsCa { get; init; }

    /// <summary><c>tls_client_cert</c>: the PEM certificate the proxy presents to the upstream (with <see cref="TlsClientKey"/>).</summary>
    public Located<string>? TlsClientCert { get; init; }

    /// <summary><c>tls_client_key</c>: the PEM private key of <see cref="TlsClientCert"/>; read by the proxy only.</summary>
    public Located<string>? TlsClientKey { get; init; }
}

internal sealed record EnvironmentSpec
{
    public static EnvironmentSpec Empty { get; } = new();

    /// <summary>Names (a trailing <c>*</c> matches a prefix) inherited from the caller's environment.</summary>
    public IReadOnlyList<Located<string>> AllowVars { get; init; } = [];

    /// <summary>Names (a trailing <c>*</c> matches a prefix) never inherited; wins over <see cref="AllowVars"/>.</summary>
    public IReadOnlyList<Located<string>> DenyVars { get; init; } = [];

    public IReadOnlyList<SetVar> SetVars { get; init; } = [];
}

internal sealed record SetVar(string Name, string Value, SourceLocation Where);
