namespace Nono.Supervisor.Profiles;

/// <summary>
/// The command-line settings that layer over a profile (<c>nono run</c>, <c>shell</c>, <c>wrap</c>,
/// <c>proxy</c>): lists extend the profile's, scalars override it. Paths may be relative (to the
/// working directory). Errors about a flag name the flag as spelled in <see cref="FlagNames"/>.
/// </summary>
internal sealed record SessionFlags
{
    public static SessionFlags None { get; } = new();

    /// <summary>Profile name or path; null selects <c>default</c>.</summary>
    public string? Profile { get; init; }

    public IReadOnlyList<string> Allow { get; init; } = [];

    public IReadOnlyList<string> Read { get; init; } = [];

    public IReadOnlyList<string> Write { get; init; } = [];

    public IReadOnlyList<string> AllowFile { get; init; } = [];

    public IReadOnlyList<string> ReadFile { get; init; } = [];

    public IReadOnlyList<string> WriteFile { get; init; } = [];

    public IReadOnlyList<string> Deny { get; init; } = [];

    /// <summary>Hosts, <c>*.suffix</c> patterns or network group names; extends the profile's.</summary>
    public IReadOnlyList<string> AllowDomains { get; init; } = [];

    /// <summary>Network group names; when any are given they replace the profile's <c>network_profile</c>.</summary>
    public IReadOnlyList<string> NetworkProfiles { get; init; } = [];

    /// <summary>Built-in credential service names; extends the profile's.</summary>
    public IReadOnlyList<string> Credentials { get; init; } = [];

    /// <summary><c>host:port</c>; overrides the profile's.</summary>
    public string? UpstreamProxy { get; init; }

    public IReadOnlyList<string> UpstreamBypass { get; init; } = [];

    /// <summary>No network at all (overrides the profile).</summary>
    public bool BlockNetwork { get; init; }

    /// <summary>Unrestricted host network (overrides the profile); no proxy.</summary>
    public bool AllowNetwork { get; init; }

    /// <summary>Overrides <c>tls_intercept.enabled</c>.</summary>
    public bool? TlsIntercept { get; init; }

    /// <summary>Overrides <c>tls_intercept.ca_validity_days</c>.</summary>
    public int? ProxyCaValidityDays { get; init; }

    public IReadOnlyList<ushort> ConnectPorts { get; init; } = [];

    public IReadOnlyList<ushort> BindPorts { get; init; } = [];

    public bool RequireIsolation { get; init; }

    /// <summary>--allow-unix-sockets: the child may create unix sockets (see SandboxPolicy.AllowUnixSockets).</summary>
    public bool AllowUnixSockets { get; init; }

    public IReadOnlyList<string> AllowVars { get; init; } = [];

    public IReadOnlyList<string> DenyVars { get; init; } = [];

    /// <summary><c>NAME=VALUE</c> entries; override the profile's <c>set_vars</c>.</summary>
    public IReadOnlyList<string> SetVars { get; init; } = [];
}

/// <summary>How flags are spelled in error messages; the commands should declare them with these names.</summary>
internal static class FlagNames
{
    public const string Profile = "--profile";
    public const string Allow = "--allow";
    public const string Read = "--read";
    public const string Write = "--write";
    public const string AllowFile = "--allow-file";
    public const string ReadFile = "--read-file";
    public const string WriteFile = "--write-file";
    public const string Deny = "--deny";
    public const string AllowDomain = "--allow-domain";
    public const string NetworkProfile = "--network-profile";
    public const string Credential = "--credential";
    public const string UpstreamProxy = "--upstream-proxy";
    public const string UpstreamBypass = "--upstream-bypass";
    public const string BlockNet = "--block-net";
    public const string AllowNet = "--allow-net";
    public const string TlsIntercept = "--tls-intercept";
    public const string ProxyCaValidity = "--proxy-ca-validity";
    public const string AllowVar = "--allow-env";
    public const string DenyVar = "--deny-env";
    public const string SetVar = "--env";
}
