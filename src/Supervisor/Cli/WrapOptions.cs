namespace Nono.Supervisor.Cli;

/// <summary>The `nono wrap` flags, as given (paths not yet resolved).</summary>
internal sealed record WrapOptions
{
    public IReadOnlyList<string> Read { get; init; } = [];

    public IReadOnlyList<string> Write { get; init; } = [];

    public IReadOnlyList<string> Allow { get; init; } = [];

    public IReadOnlyList<string> ReadFile { get; init; } = [];

    public IReadOnlyList<string> WriteFile { get; init; } = [];

    public IReadOnlyList<string> Deny { get; init; } = [];

    public bool AllowCwd { get; init; }

    public bool BlockNet { get; init; }

    public bool AllowNet { get; init; }

    public bool RequireIsolation { get; init; }

    public bool AllowUnixSockets { get; init; }

    /// <summary>Profile name or path; none means only the base layer and the flags.</summary>
    public string? Profile { get; init; }

    /// <summary>Variables to pass through although the built-in rules would strip them.</summary>
    public IReadOnlyList<string> AllowEnv { get; init; } = [];

    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The flags as a layer for <see cref="Profiles.SessionResolver"/>; --allow-cwd is --allow of the working directory.</summary>
    public Profiles.SessionFlags ToSessionFlags(string workingDirectory) => new()
    {
        Profile = Profile,
        Read = Read,
        Write = Write,
        Allow = [.. Allow, .. AllowCwd ? [workingDirectory] : Array.Empty<string>()],
        ReadFile = ReadFile,
        WriteFile = WriteFile,
        Deny = Deny,
        BlockNetwork = BlockNet,
        AllowNetwork = AllowNet,
        RequireIsolation = RequireIsolation,
        AllowUnixSockets = AllowUnixSockets,
    };
}
