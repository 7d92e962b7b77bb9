namespace Nono.Supervisor.Env;

/// <summary>
/// The resolved <c>environment</c> section: which inherited variables pass (<see cref="AllowVars"/>,
/// empty meaning all ordinary ones), which never do (<see cref="DenyVars"/>, which wins), and what is
/// set outright. Patterns are names or <c>PREFIX*</c>, matched case-sensitively.
/// </summary>
internal sealed record EnvironmentSettings
{
    public static EnvironmentSettings Empty { get; } = new();

    public IReadOnlyList<string> AllowVars { get; init; } = [];

    public IReadOnlyList<string> DenyVars { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> SetVars { get; init; } = [];

    /// <summary>
    /// Exact names inherited even though a built-in rule strips them (a secret, an agent socket),
    /// without turning the environment into an allowlist the way <see cref="AllowVars"/> does.
    /// </summary>
    public IReadOnlyList<string> KeepVars { get; init; } = [];
}
