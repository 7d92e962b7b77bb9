using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy;

/// <summary>Everything the proxy needs to start. Immutable; the caller keeps it and passes it back to
/// <see cref="ProxyHandle.RouteDiagnostics"/> and <see cref="ProxyHandle.CredentialEnvVars"/>.</summary>
public sealed partial record ProxyConfig
{
    /// <summary>Hosts the proxy may reach: exact names or <c>*.suffix</c> (which does not match the bare suffix).
    /// Empty: every host except the hard deny list, unless <see cref="DenyUnlistedHosts"/> is set.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// True: only <see cref="AllowedHosts"/> and the routes' upstream hosts are reachable, even when
    /// <see cref="AllowedHosts"/> is empty, which then means "no host" (only credential routes work).
    /// False (the default): an empty <see cref="AllowedHosts"/> allows every host.
    /// </summary>
    public bool DenyUnlistedHosts { get; init; }

    public IReadOnlyList<RouteConfig> Routes { get; init; } = [];

    public ExternalProxyConfig? ExternalProxy { get; init; }

    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>0: an ephemeral port.</summary>
    public int BindPort { get; init; }

    /// <summary>Listening sockets created by the caller (e.g. inside the child's network namespace) that
    /// the proxy accepts on, in addition to its own listener (or instead of it, when <see cref="BindOwnListener"/> is false).</summary>
    public IReadOnlyList<Socket> ListenSockets { get; init; } = [];

    public bool BindOwnListener { get; init; } = true;

    /// <summary>Concurrent client connections; over it a client gets 503. 0: unlimited.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>
    /// Most connections open at once from one client address (0: no per-address cap). Off by default:
    /// under <c>nono run</c> the program is the only client; <c>nono proxy</c> turns it on so one peer
    /// cannot take every slot of <see cref="MaxConnections"/>.
    /// </summary>
    public int MaxConnectionsPerPeer { get; init; }

    /// <summary>Require the session token on every request (the default). Turning it off is refused unless every listener is loopback.</summary>
    public bool RequireAuth { get; init; } = true;

    /// <summary>Shortest <see cref="FixedToken"/> accepted.</summary>
    public const int MinimumFixedTokenLength = 16;

    /// <summary>A fixed session token (<c>nono proxy --pass</c> and its alternatives), at least <see cref="MinimumFixedTokenLength"/> characters; null: 256 random bits.</summary>
    public string? FixedToken { get; init; }

    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a new connection may stay silent before its first byte: it holds a connection slot
    /// without having shown anything, so this is much shorter than <see cref="HeaderTimeout"/>.
    /// </summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for the next bytes of a request body; the request fails after it.</summary>
    public TimeSpan BodyProgressTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Idle time after which a keep-alive client connection or tunnel is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Null: no TLS interception.</summary>
    public TlsInterceptConfig? TlsIntercept { get; init; }

    /// <summary>Capacity of the audit event buffer; the oldest events are dropped beyond it.</summary>
    public int AuditCapacity { get; init; } = 4096;

    /// <summary>Name resolution seam (tests; an /etc/hosts-style override). Null: the system resolver.</summary>
    public Func<string, CancellationToken, ValueTask<IPAddress[]>>? Resolver { get; init; }
}
