using System.Globalization;
using System.Text.Json;
using Nono.Proxy;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Control;

/// <summary>
/// Live control of one supervised session: the proxy's <see cref="SessionHosts"/>, the control
/// socket that `nono ps`, `nono allow` and `nono deny` talk to, the notice on nono's stderr the first
/// time a host is refused, an audit line for every change, and at the end the profile that
/// <c>--save-profile</c> asked for. Linux only (the peer checks read /proc).
/// </summary>
internal sealed class SessionControl : IAsyncDisposable
{
    private readonly ResolvedSession _session;
    private readonly string _directory;
    private readonly long _startedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private readonly Lock _auditLock = new();
    private ControlServer? _server;
    private int _childPid;

    public SessionControl(ResolvedSession session, string directory)
    {
        _session = session;
        _directory = directory;
        Hosts = new SessionHosts
        {
            HowToAllow = host => $"allow it for this session with: nono allow {host}",
            FirstRefusal = Announce,
        };
    }

    public SessionHosts Hosts { get; }

    public string Id => SessionRegistry.IdOf(_directory);

    /// <summary>Starts answering on the control socket (after the proxy is up).</summary>
    public void Listen()
    {
        try
        {
            _server = ControlServer.Start(SessionRegistry.SocketOf(_directory), Handle);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The session runs without live control; say so instead of failing the program's launch.
            Console.Error.WriteLine($"nono: note: live control (nono ps, nono allow) is unavailable for this session: {error.Message}");
        }
    }

    public void ChildStarted(int pid) => Volatile.Write(ref _childPid, pid);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_session.Request.SaveProfile is { } file)
        {
            LearnedProfile.Save(file, _session.Request, Hosts.Allowed);
        }
    }

    private void Announce(RefusedHost refused)
    {
        if (refused.Allowable)
        {
            Console.Error.WriteLine($"nono: denied {refused.Host} — allow it for this session with: nono allow {refused.Host}");
        }
    }

    private ControlReply Handle(ControlRequest request, PeerCredentials peer) => request.Op switch
    {
        ControlRequest.Status => new ControlReply { Session = Status() },
        ControlRequest.Allow => Change(request.Hosts, peer, allow: true),
        ControlRequest.Deny => Change(request.Hosts, peer, allow: false),
        _ => new ControlReply { Error = $"unknown operation '{request.Op}'" },
    };

    private SessionStatus Status() => new()
    {
        Id = Id,
        Pid = Environment.ProcessId,
        ChildPid = Volatile.Read(ref _childPid) is var pid and > 0 ? pid : null,
        Command = _session.Request.Command,
        StartedUnixMs = _startedUnixMs,
        Profile = _session.Request.Flags.Profile ?? Profiles.SessionResolver.DefaultProfile,
        Refused = [.. Hosts.Refused.Select(r => r.Host)],
        Allowed = Hosts.Allowed,
    };

    private ControlReply Change(IReadOnlyList<string> hosts, PeerCredentials peer, bool allow)
    {
        if (hosts.Count == 0)
        {
            return new ControlReply { Error = "no host given" };
        }

        var results = new List<HostChangeResult>();
        foreach (var host in hosts)
        {
            SessionHostChange change;
            try
            {
                change = allow ? Hosts.Allow(host) : Hosts.Deny(host);
            }
            catch (ArgumentException error)
            {
                results.Add(new HostChangeResult(host, "refused", Reason(error)));
                continue;
            }

            _ = SessionHosts.Problem(host, out var normalized);
            var result = change == SessionHostChange.Changed ? (allow ? "allowed" : "denied") : "unchanged";
            results.Add(new HostChangeResult(normalized, result, null));
            Audit(normalized, allow, change, peer);
        }

        return new ControlReply { Session = Status(), Changes = results };
    }

    private void Audit(string host, bool allow, SessionHostChange change, PeerCredentials peer)
    {
        if (change == SessionHostChange.Changed)
        {
            Console.Error.WriteLine(allow
                ? $"nono: {host} allowed for the rest of this session (nono allow, pid {peer.Pid.ToString(CultureInfo.InvariantCulture)})"
                : $"nono: {host} refused from now on (nono deny, pid {peer.Pid.ToString(CultureInfo.InvariantCulture)})");
        }

        if (_session.Request.AuditLog is not { } path)
        {
            return;
        }

        var line = JsonSerializer.Serialize(
            new HostPolicyChangeEvent
            {
                TimestampUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Event = allow ? "session_allow" : "session_deny",
                Target = host,
                Result = change == SessionHostChange.Changed ? "changed" : "unchanged",
                ByPid = peer.Pid,
                ByUid = peer.Uid,
            },
            ControlJsonContext.Default.HostPolicyChangeEvent);
        lock (_auditLock)
        {
            try
            {
                File.AppendAllText(path, line + "\n");
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"nono: cannot write the audit log {path}: {error.Message}");
            }
        }
    }

    /// <summary>The rule's own sentence, without the parameter name .NET appends.</summary>
    private static string Reason(ArgumentException error) =>
        error.ParamName is { } name && error.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? error.Message[..^$" (Parameter '{name}')".Length]
            : error.Message;
}
