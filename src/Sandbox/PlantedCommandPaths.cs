namespace Nono.Sandbox;

/// <summary>
/// Files that hold commands another program runs later without asking, outside any sandbox: kept
/// out of the confined program's reach inside writable grants, so that a program confined for a
/// session cannot plant code that the user's next unsandboxed run executes. One table, with the
/// reason for each entry; the platform layer enforces it (Linux: bind mounts in the child's mount
/// namespace).
/// </summary>
public static class PlantedCommandPaths
{
    /// <summary>Read-only for the session. Relative to the user's home directory.</summary>
    public static IReadOnlyList<(string RelativePath, string Reason)> UnderHome { get; } =
    [
        (".claude/settings.json", "Claude Code runs its hooks, statusLine and apiKeyHelper commands"),
        (".codex/config.toml", "Codex runs its notify command and starts its mcp_servers"),
    ];

    /// <summary>
    /// Files the program rewrites as a whole while it runs, so a read-only file would break it: the
    /// session gets a private copy, written back when it ends with <see cref="CommandKeys"/> kept as
    /// they are in the real file. Relative to the user's home directory.
    /// </summary>
    public static IReadOnlyList<(string RelativePath, string Reason)> CopiedUnderHome { get; } =
    [
        (".claude.json", "Claude Code keeps its state here and starts the mcpServers listed in it; written back at the end without changes to "
            + "the keys that run commands or approve them"),
    ];

    /// <summary>
    /// The keys of <c>~/.claude.json</c> that make Claude Code run a command, or approve one, the next
    /// time it starts. <see cref="TopLevel"/> keys sit at the root; <see cref="PerProject"/> keys inside
    /// each entry of <c>projects</c> (keyed by directory).
    /// </summary>
    public static class CommandKeys
    {
        public static IReadOnlyList<(string Key, string Reason)> TopLevel { get; } =
        [
            ("mcpServers", "commands started as MCP servers in every project"),
            ("apiKeyHelper", "a command run to obtain the API key"),
            ("env", "environment of Claude Code and of every command it runs (PATH, NODE_OPTIONS, LD_PRELOAD)"),
            ("customApiKeyResponses", "which API keys from the environment are approved"),
            // Settings keys: Claude Code reads them from settings.json, kept here too should a version read them from this file.
            ("hooks", "commands run on agent events"),
            ("statusLine", "a command run to draw the status line"),
            ("awsAuthRefresh", "a command run to refresh AWS sign-in"),
            ("awsCredentialExport", "a command run to export AWS credentials"),
            ("gcpAuthRefresh", "a command run to refresh Google Cloud sign-in"),
            ("otelHeadersHelper", "a command run to obtain telemetry headers"),
        ];

        public static IReadOnlyList<(string Key, string Reason)> PerProject { get; } =
        [
            ("mcpServers", "commands started as MCP servers in that project"),
            ("enabledMcpjsonServers", "servers of the project's .mcp.json approved to start"),
            ("disabledMcpjsonServers", "servers of the project's .mcp.json refused"),
            ("enableAllProjectMcpServers", "every server of the project's .mcp.json approved to start"),
            ("hasTrustDialogAccepted", "trust in the project, which lets its own hooks and settings run"),
            ("allowedTools", "tools and shell commands approved to run without asking"),
        ];
    }

    /// <summary>The <see cref="UnderHome"/> entries of <paramref name="homes"/> that lie inside a grant with write access.</summary>
    public static IReadOnlyList<ReadOnlyPath> InsideWritableGrants(IEnumerable<string> homes, IEnumerable<FsGrant> grants) =>
        Writable(UnderHome, homes, grants).Select(entry => new ReadOnlyPath(entry.Path, entry.Reason)).ToArray();

    /// <summary>The <see cref="CopiedUnderHome"/> entries of <paramref name="homes"/> that lie inside a grant with write access.</summary>
    public static IReadOnlyList<(string Path, string Reason)> CopiesInsideWritableGrants(IEnumerable<string> homes, IEnumerable<FsGrant> grants) =>
        Writable(CopiedUnderHome, homes, grants);

    private static IReadOnlyList<(string Path, string Reason)> Writable(
        IReadOnlyList<(string RelativePath, string Reason)> table, IEnumerable<string> homes, IEnumerable<FsGrant> grants)
    {
        var writable = grants.Where(grant => grant.Access.HasFlag(FsAccess.Write)).ToArray();
        return homes
            .SelectMany(home => table.Select(entry => (Path: System.IO.Path.Join(home, entry.RelativePath), entry.Reason)))
            .Where(entry => writable.Any(grant => grant.Target == FsTarget.Directory
                ? PathUtil.IsSameOrBelow(entry.Path, grant.Path)
                : grant.Path == entry.Path))
            .DistinctBy(entry => entry.Path, StringComparer.Ordinal)
            .ToArray();
    }
}
