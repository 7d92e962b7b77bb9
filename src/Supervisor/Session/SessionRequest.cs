using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>One supervised session as the command line asked for it.</summary>
internal sealed record SessionRequest
{
    /// <summary>
    /// The proxy's port inside the child's network namespace. The namespace is the child's alone, so
    /// no other program can hold or reach this port; 3128 is the customary HTTP proxy port.
    /// </summary>
    public const ushort DefaultProxyPort = 3128;

    /// <summary>Concurrent connections a session's proxy accepts from the program before answering
    /// 503 (one program's connections: a package manager opens many at once; each costs a few KiB).</summary>
    public const int MaxProxyConnections = 4096;

    public required SessionFlags Flags { get; init; }

    /// <summary>The program and its arguments (argv[0] first), not yet looked up in PATH.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>The proxy port the child sees; null: <see cref="DefaultProxyPort"/> in a namespace.</summary>
    public ushort? ProxyPort { get; init; }

    public string? AuditLog { get; init; }

    /// <summary>Where to write, at the end, a profile extending this session's with the hosts allowed during it.</summary>
    public string? SaveProfile { get; init; }

    public bool DryRun { get; init; }

    /// <summary>--allow-persistence: the program may change hooks, git configuration and start-up files in its writable grants.</summary>
    public bool AllowPersistence { get; init; }

    public bool Verbose { get; init; }

    /// <summary>Run the child on a PTY owned by the supervisor (`nono shell`).</summary>
    public bool Terminal { get; init; }
}
