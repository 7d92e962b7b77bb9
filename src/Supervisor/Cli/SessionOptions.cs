using System.CommandLine;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Cli;

/// <summary>
/// The flags of the supervised commands (`nono run`, `nono shell`): the sandbox flags shared with
/// `nono wrap`, plus the profile, the proxy's allowlist, credentials and upstream, the port the child
/// sees and the audit log.
/// </summary>
internal sealed class SessionOptions
{
    public SandboxFlags Sandbox { get; } = new();

    public Option<string> Profile { get; } = new(FlagNames.Profile) { Description = "Profile name or path (default: 'default')", HelpName = "name|path" };

    public Option<string[]> AllowDomain { get; } = Many(FlagNames.AllowDomain, "Allow a host through the proxy: name, *.suffix or network group", "host");

    public Option<string[]> NetworkProfile { get; } = Many(FlagNames.NetworkProfile, "Use this network group instead of the profile's", "name");

    public Option<string[]> Credential { get; } = Many(FlagNames.Credential, "Inject the credential of a built-in service (the program gets a phantom token)", "service");

    public Option<string> UpstreamProxy { get; } = new(FlagNames.UpstreamProxy) { Description = "Send outbound connections through this proxy", HelpName = "host:port" };

    public Option<string[]> UpstreamBypass { get; } = Many(FlagNames.UpstreamBypass, "Reach this host directly, not through the upstream proxy", "host");

    public Option<int?> ProxyPort { get; } = new("--proxy-port") { Description = $"The proxy port the program sees (default {SessionRequest.DefaultProxyPort}, inside its own network namespace)", HelpName = "port" };

    public Option<int[]> AllowConnectPort { get; } = new("--allow-connect-port")
    {
        Description = "Let the program connect to this TCP port on the host's loopback",
        HelpName = "port",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int?> ProxyCaValidity { get; } = new(FlagNames.ProxyCaValidity) { Description = "Validity of the session's interception CA, in days", HelpName = "days" };

    public Option<string> AuditLog { get; } = new("--audit-log") { Description = "Append the proxy's audit events to this file as JSON lines", HelpName = "file" };

    public Option<string> SaveProfile { get; } = new("--save-profile") { Description = "At the end, write a profile that extends this session's and adds the hosts allowed during it (nono allow)", HelpName = "file" };

    public void AddTo(Command command)
    {
        Sandbox.AddTo(command);
        foreach (var option in new Option[] { Profile, AllowDomain, NetworkProfile, Credential, UpstreamProxy, UpstreamBypass, ProxyPort, AllowConnectPort, ProxyCaValidity, AuditLog, SaveProfile })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The session request for <paramref name="command"/>; throws <see cref="ProfileException"/> for a bad port.</summary>
    public SessionRequest ToRequest(ParseResult result, IReadOnlyList<string> command, string workingDirectory) => new()
    {
        Flags = Sandbox.ToSessionFlags(result, workingDirectory) with
        {
            Profile = result.GetValue(Profile),
            AllowDomains = result.GetValue(AllowDomain) ?? [],
            NetworkProfiles = result.GetValue(NetworkProfile) ?? [],
            Credentials = result.GetValue(Credential) ?? [],
            UpstreamProxy = result.GetValue(UpstreamProxy),
            UpstreamBypass = result.GetValue(UpstreamBypass) ?? [],
            ProxyCaValidityDays = result.GetValue(ProxyCaValidity),
            ConnectPorts = [.. (result.GetValue(AllowConnectPort) ?? []).Select(port => Port(port, "--allow-connect-port"))],
        },
        Command = command,
        WorkingDirectory = workingDirectory,
        ProxyPort = result.GetValue(ProxyPort) is { } proxyPort ? Port(proxyPort, "--proxy-port") : null,
        AuditLog = result.GetValue(AuditLog) is { } log ? FilePath(log, workingDirectory, "--audit-log") : null,
        SaveProfile = result.GetValue(SaveProfile) is { } save ? FilePath(save, workingDirectory, "--save-profile") : null,
        DryRun = result.GetValue(Sandbox.DryRun),
        AllowPersistence = result.GetValue(Sandbox.AllowPersistence),
        Verbose = result.GetValue(Sandbox.Verbose),
    };

    /// <summary>The audit log and the saved profile are written later: their directory is checked now, before anything runs.</summary>
    private static string FilePath(string given, string workingDirectory, string flag)
    {
        var path = Path.GetFullPath(given, workingDirectory);
        return Directory.Exists(Path.GetDirectoryName(path)) && !Directory.Exists(path)
            ? path
            : throw new ProfileException($"{flag} {given}: '{path}' is not a file in an existing directory");
    }

    private static ushort Port(int value, string flag) => value is >= 1 and <= 65535
        ? (ushort)value
        : throw new ProfileException($"{flag}: {value} is not a TCP port (1-65535)");

    private static Option<string[]> Many(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
