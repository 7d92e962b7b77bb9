using System.CommandLine;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary>
/// The flags `nono wrap`, `nono run` and `nono shell` share, declared once: filesystem grants and
/// denies, network mode, isolation, dry run and verbosity.
/// </summary>
internal sealed class SandboxFlags
{
    public Option<string[]> Read { get; } = PathOption(FlagNames.Read, "Grant read and execute access to a directory (or file)");

    public Option<string[]> Write { get; } = PathOption(FlagNames.Write, "Grant write access (no read, no execute) to a directory (or file)");

    public Option<string[]> Allow { get; } = PathOption(FlagNames.Allow, "Grant read, write and execute access to a directory (or file)");

    public Option<string[]> ReadFile { get; } = PathOption(FlagNames.ReadFile, "Grant read and execute access to one file");

    public Option<string[]> WriteFile { get; } = PathOption(FlagNames.WriteFile, "Grant write access to one file");

    public Option<string[]> Deny { get; } = PathOption(FlagNames.Deny, "Hide a path even when a grant covers it (needs user namespaces)");

    public Option<bool> AllowCwd { get; } = new("--allow-cwd") { Description = "Grant read, write and execute access to the current directory" };

    public Option<bool> BlockNet { get; } = new(FlagNames.BlockNet) { Description = "Block all network access" };

    public Option<bool> AllowNet { get; } = new(FlagNames.AllowNet) { Description = "Allow unrestricted network access" };

    public Option<bool> RequireIsolation { get; } = new("--require-isolation") { Description = "Refuse to run rather than fall back to weaker isolation" };

    public Option<bool> AllowUnixSockets { get; } = new("--allow-unix-sockets")
    {
        Description = "Let the program create unix sockets (connect or listen by path). Off by default: a unix socket reaches host services such as D-Bus, ssh-agent or docker.sock, which Landlock cannot restrict",
    };

    public Option<bool> AllowPersistence { get; } = new(Persistence.PersistenceGuard.AllowFlag)
    {
        Description = "Let a trusted program change git hooks, git configuration and shell start-up files inside writable grants (read-only otherwise; planted ones are disabled when a session ends)",
    };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the resolved sandbox and exit without running anything" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Explain each sandbox step on stderr" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Read, Write, Allow, ReadFile, WriteFile, Deny, AllowCwd, BlockNet, AllowNet, RequireIsolation, AllowUnixSockets, AllowPersistence, DryRun, Verbose })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The values as `nono wrap` takes them.</summary>
    public WrapOptions ToWrapOptions(ParseResult result, IReadOnlyList<string> command) => new()
    {
        Read = result.GetValue(Read) ?? [],
        Write = result.GetValue(Write) ?? [],
        Allow = result.GetValue(Allow) ?? [],
        ReadFile = result.GetValue(ReadFile) ?? [],
        WriteFile = result.GetValue(WriteFile) ?? [],
        Deny = result.GetValue(Deny) ?? [],
        AllowCwd = result.GetValue(AllowCwd),
        BlockNet = result.GetValue(BlockNet),
        AllowNet = result.GetValue(AllowNet),
        RequireIsolation = result.GetValue(RequireIsolation),
        AllowUnixSockets = result.GetValue(AllowUnixSockets),
        AllowPersistence = result.GetValue(AllowPersistence),
        Command = command,
    };

    /// <summary>The values as a profile layer (`nono run`, `nono shell`); --allow-cwd is --allow of the working directory.</summary>
    public SessionFlags ToSessionFlags(ParseResult result, string workingDirectory) => new()
    {
        Read = result.GetValue(Read) ?? [],
        Write = result.GetValue(Write) ?? [],
        Allow = [.. result.GetValue(Allow) ?? [], .. result.GetValue(AllowCwd) ? [workingDirectory] : Array.Empty<string>()],
        ReadFile = result.GetValue(ReadFile) ?? [],
        WriteFile = result.GetValue(WriteFile) ?? [],
        Deny = result.GetValue(Deny) ?? [],
        BlockNetwork = result.GetValue(BlockNet),
        AllowNetwork = result.GetValue(AllowNet),
        RequireIsolation = result.GetValue(RequireIsolation),
        AllowUnixSockets = result.GetValue(AllowUnixSockets),
    };

    private static Option<string[]> PathOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "path",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
