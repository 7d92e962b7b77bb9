using System.CommandLine;
using System.Net;
using Nono.Proxy;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono proxy`: the filtering, credential-injecting proxy alone, as a foreground server for workloads
/// that bring their own isolation (containers, VMs). Configuration comes from the same resolver as
/// `nono run` (profile + flags, network part only). Prints what clients need, serves until SIGINT or
/// SIGTERM, then stops and deletes the trust bundle.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "IP address to listen on", DefaultValueFactory = _ => "127.0.0.1", HelpName = "addr" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: an ephemeral port)", HelpName = "n" };
        var noAuth = new Option<bool>("--no-auth") { Description = "Accept requests without the token (loopback listeners only)" };
        var pass = new Option<string?>("--pass") { Description = "Use this fixed token instead of a random one (visible to local users: prefer the three below)", HelpName = "secret" };
        var passFile = new Option<string?>("--pass-file") { Description = "Read the fixed token from this file (one line)", HelpName = "path" };
        var passEnv = new Option<string?>("--pass-env") { Description = "Read the fixed token from this environment variable", HelpName = "name" };
        var passStdin = new Option<bool>("--pass-stdin") { Description = "Read the fixed token from the first line of standard input" };
        var profile = new Option<string?>(FlagNames.Profile) { Description = "Profile whose network and credential settings to use", HelpName = "name" };
        var networkProfile = ListOption(FlagNames.NetworkProfile, "Network group to allow (replaces the profile's)", "group");
        var allowDomain = ListOption(FlagNames.AllowDomain, "Allow a host, *.suffix or network group (repeatable)", "host");
        var credential = ListOption(FlagNames.Credential, "Inject a built-in service's credential (repeatable)", "service");
        var upstreamProxy = new Option<string?>(FlagNames.UpstreamProxy) { Description = "Send traffic through this proxy (host:port)", HelpName = "host:port" };
        var upstreamBypass = ListOption(FlagNames.UpstreamBypass, "Reach this host directly, not through --upstream-proxy (repeatable)", "host");
        var perPeer = new Option<int>("--max-connections-per-peer")
        {
            Description = $"Most connections open at once from one client address (0: no cap; default {ProxyCommandOptions.DefaultMaxConnectionsPerPeer})",
            DefaultValueFactory = _ => ProxyCommandOptions.DefaultMaxConnectionsPerPeer,
            HelpName = "n",
        };
        var caValidity = new Option<int?>(FlagNames.ProxyCaValidity) { Description = "Validity of the TLS interception CA in days (turns interception on)", HelpName = "days" };
        var fleet = new ProxyFleetOptions();

        var command = new Command("proxy", "Run the filtering, credential-injecting proxy alone until interrupted")
        {
            listen, port, noAuth, pass, passFile, passEnv, passStdin, profile, networkProfile, allowDomain, credential, upstreamProxy, upstreamBypass, caValidity, perPeer,
        };
        fleet.AddTo(command);
        command.SetAction((result, _) => RunAsync(fleet.Read(result, new ProxyCommandOptions
        {
            Listen = result.GetValue(listen) ?? "127.0.0.1",
            Port = result.GetValue(port),
            NoAuth = result.GetValue(noAuth),
            Pass = result.GetValue(pass),
            HasPass = result.GetResult(pass) is not null,
            PassFile = result.GetValue(passFile),
            PassEnv = result.GetValue(passEnv),
            PassStdin = result.GetValue(passStdin),
            MaxConnectionsPerPeer = result.GetValue(perPeer),
            Flags = new SessionFlags
            {
                Profile = result.GetValue(profile),
                NetworkProfiles = result.GetValue(networkProfile) ?? [],
                AllowDomains = result.GetValue(allowDomain) ?? [],
                Credentials = result.GetValue(credential) ?? [],
                UpstreamProxy = result.GetValue(upstreamProxy),
                UpstreamBypass = result.GetValue(upstreamBypass) ?? [],
                ProxyCaValidityDays = result.GetValue(caValidity),
            },
        })));
        return command;
    }

    private static Option<string[]> ListOption(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static async Task<int> RunAsync(ProxyCommandOptions options)
    {
        if (Refusal(options) is { } refusal)
            return Fail(refusal);
        if (options.HasPass)
            Console.Error.WriteLine("nono proxy: " + ProxyPassword.CommandLineWarning);
        var fixedToken = ProxyPassword.Resolve(options, Environment.GetEnvironmentVariable, Console.In, out var passError);
        if (passError is not null)
            return Fail(passError);

        ProxyConfig config;
        IReadOnlyList<string> notices;
        try
        {
            (config, notices) = Configure(options, fixedToken);
        }
        catch (ProfileException e)
        {
            return Fail(e.Message);
        }

        return await ProxyServe.RunAsync(options, config, notices, () => Configure(options, fixedToken)).ConfigureAwait(false);
    }

    /// <summary>Profile + flags -> the proxy configuration: at start, and again on every reload.</summary>
    /// <exception cref="ProfileException">The profile or a flag is invalid.</exception>
    private static (ProxyConfig Config, IReadOnlyList<string> Notices) Configure(ProxyCommandOptions options, string? fixedToken)
    {
        var settings = SessionResolver.Resolve(HostEnvironment.FromProcess(), options.Flags, SessionScope.NetworkOnly);
        var config = settings.CreateProxyConfig() with
        {
            BindAddress = options.Listen,
            BindPort = options.Port,
            RequireAuth = !options.NoAuth,
            FixedToken = fixedToken,
            MaxConnections = options.MaxConnections,
            MaxConnectionsPerPeer = options.MaxConnectionsPerPeer,
        };
        return (config, settings.Notices);
    }

    /// <summary>
    /// The fail-secure rules that need no configuration to check. (A bypass list without an upstream proxy
    /// is refused by the resolver, which also sees a profile's upstream_proxy.)
    /// </summary>
    internal static string? Refusal(ProxyCommandOptions options)
    {
        if (!IPAddress.TryParse(options.Listen, out var address))
            return $"--listen '{options.Listen}' is not an IP address (use e.g. 127.0.0.1 or 0.0.0.0)";
        if (options.Port is < 0 or > 65535)
            return $"--port {options.Port} is out of range (0-65535)";
        if (options.MaxConnectionsPerPeer < 0)
            return $"--max-connections-per-peer {options.MaxConnectionsPerPeer} must be 0 (no cap) or positive";
        if (ProxyFleetOptions.Refusal(options) is { } fleet)
            return fleet;
        var passSources = ProxyPassword.SourceCount(options);
        if (options.NoAuth && passSources > 0)
            return "--no-auth and a fixed token (--pass, --pass-file, --pass-env, --pass-stdin) contradict each other; use one";
        if (passSources > 1)
            return "give the fixed token one way only: --pass, --pass-file, --pass-env or --pass-stdin";
        if (options.HasPass && string.IsNullOrWhiteSpace(options.Pass))
            return "--pass must not be empty (an empty password is no password); omit it for a random token";
        if (options.NoAuth && !IPAddress.IsLoopback(address))
            return $"--no-auth on {options.Listen} would run an open proxy reachable from other hosts; listen on 127.0.0.1 or keep authentication";
        return null;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"nono proxy: {message}");
        return ExitCodes.Usage;
    }
}

internal sealed record ProxyCommandOptions
{
    public string Listen { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    public bool NoAuth { get; init; }

    public string? Pass { get; init; }

    /// <summary>--pass was given (possibly empty, which is refused).</summary>
    public bool HasPass { get; init; }

    public string? PassFile { get; init; }

    public string? PassEnv { get; init; }

    public bool PassStdin { get; init; }

    /// <summary>
    /// A quarter of the default connection limit: one client address (a pod, a VM, or everyone on this host
    /// when listening on loopback) cannot hold every slot with idle or slow connections.
    /// </summary>
    public const int DefaultMaxConnectionsPerPeer = 64;

    public int MaxConnectionsPerPeer { get; init; } = DefaultMaxConnectionsPerPeer;

    /// <summary>Connections open at once over all clients (0: unlimited).</summary>
    public int MaxConnections { get; init; } = ProxyFleetOptions.DefaultMaxConnections;

    /// <summary>Operator's endpoint (<c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>); null: none.</summary>
    public System.Net.IPEndPoint? AdminListen { get; init; }

    /// <summary>The <c>--admin-listen</c> text as given, for error messages.</summary>
    public string? AdminListenText { get; init; }

    /// <summary>How long SIGTERM lets requests in flight and tunnels finish before closing them.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(ProxyFleetOptions.DefaultDrainSeconds);

    /// <summary><c>--drain-timeout</c> as given (negative is refused).</summary>
    public int DrainSeconds { get; init; } = ProxyFleetOptions.DefaultDrainSeconds;

    /// <summary><c>--audit-log</c>: a file to append JSON lines to, or <c>-</c> for standard output; null: none.</summary>
    public string? AuditLog { get; init; }

    /// <summary>Print only the listening line, not the token or the exports (for logs others can read).</summary>
    public bool Quiet { get; init; }

    public SessionFlags Flags { get; init; } = SessionFlags.None;
}
