using System.CommandLine;
using System.Net;

namespace Nono.Supervisor.Cli;

/// <summary>
/// The `nono proxy` flags for running it as a service: the admin endpoint, connection limit, drain time
/// on SIGTERM, the audit stream and a banner without the token.
/// </summary>
internal sealed class ProxyFleetOptions
{
    public const int DefaultMaxConnections = 256;
    public const int DefaultDrainSeconds = 30;

    private readonly Option<string?> _adminListen = new("--admin-listen")
    {
        Description = "Serve /healthz, /readyz and /metrics on this address (PORT alone: 127.0.0.1:PORT)",
        HelpName = "addr:port",
    };

    private readonly Option<int> _maxConnections = new("--max-connections")
    {
        Description = $"Most client connections open at once; more get a 503 (0: unlimited; default {DefaultMaxConnections})",
        DefaultValueFactory = _ => DefaultMaxConnections,
        HelpName = "n",
    };

    private readonly Option<int> _drainTimeout = new("--drain-timeout")
    {
        Description = $"Seconds SIGTERM lets requests in flight and tunnels finish before closing them (default {DefaultDrainSeconds})",
        DefaultValueFactory = _ => DefaultDrainSeconds,
        HelpName = "seconds",
    };

    private readonly Option<string?> _auditLog = new("--audit-log")
    {
        Description = "Write each decision as a JSON line to this file (appended), or to standard output with -",
        HelpName = "file|-",
    };

    private readonly Option<bool> _quiet = new("--quiet")
    {
        Description = "Print only where the proxy listens: no token, no export lines (for logs others read)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_adminListen);
        command.Options.Add(_maxConnections);
        command.Options.Add(_drainTimeout);
        command.Options.Add(_auditLog);
        command.Options.Add(_quiet);
    }

    public ProxyCommandOptions Read(ParseResult result, ProxyCommandOptions options)
    {
        var admin = result.GetValue(_adminListen);
        return options with
        {
            AdminListen = admin is null ? null : ParseEndpoint(admin),
            AdminListenText = admin,
            MaxConnections = result.GetValue(_maxConnections),
            DrainTimeout = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(_drainTimeout))),
            DrainSeconds = result.GetValue(_drainTimeout),
            AuditLog = result.GetValue(_auditLog),
            Quiet = result.GetValue(_quiet),
        };
    }

    /// <summary><c>PORT</c> (loopback) or <c>ADDR:PORT</c> (<c>[::1]:PORT</c> for IPv6); null when it is neither.</summary>
    internal static IPEndPoint? ParseEndpoint(string text)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            return port is >= 1 and <= 65535 ? new IPEndPoint(IPAddress.Loopback, port) : null;
        // An address without a port would parse as port 0; an admin endpoint needs a known port.
        return IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0 && text.Contains(':', StringComparison.Ordinal)
            && (endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || text.StartsWith('['))
            ? endpoint
            : null;
    }

    public static string? Refusal(ProxyCommandOptions options)
    {
        if (options.AdminListenText is { } admin && options.AdminListen is null)
            return $"--admin-listen '{admin}' is not ADDR:PORT or PORT (e.g. 127.0.0.1:9090, 0.0.0.0:9090, [::1]:9090)";
        if (options.AdminListen is { } endpoint && IPEndPoint.TryParse($"{options.Listen}:{options.Port}", out var proxy)
            && options.Port != 0 && endpoint.Port == options.Port && (endpoint.Address.Equals(proxy.Address) || IsWildcard(endpoint.Address) || IsWildcard(proxy.Address)))
            return $"--admin-listen {options.AdminListenText} is the proxy's own address; give the admin endpoint a port of its own";
        if (options.MaxConnections < 0)
            return $"--max-connections {options.MaxConnections} must be 0 (unlimited) or positive";
        if (options.DrainSeconds < 0)
            return $"--drain-timeout {options.DrainSeconds} must be 0 or more seconds";
        if (options.AuditLog is { } log && log != "-")
        {
            var full = Path.GetFullPath(log);
            if (Directory.Exists(full) || !Directory.Exists(Path.GetDirectoryName(full)))
                return $"--audit-log {log}: '{full}' is not a file in an existing directory (or - for standard output)";
        }

        return null;
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
