using Nono.Proxy;
using Nono.Sandbox;

namespace Nono.Supervisor.Session;

/// <summary>
/// What a platform contributes to a supervised session (<see cref="SessionSequence"/> runs the
/// steps in order): where the proxy listens, the dry-run account, the sandbox plan, starting the
/// child, attaching it to the proxy, and its own leftovers after the child. <see cref="LinuxSession"/>
/// and <see cref="MacOSSession"/> implement it; one instance serves one session, and is disposed
/// after it (whatever it left started for a launch that did not happen goes then).
/// </summary>
internal interface ISessionPlatform : IDisposable
{
    /// <summary>Settles what the platform needs to know about the host and returns the proxy's
    /// configuration (null when the session's network mode has no proxy).</summary>
    Task<ProxyConfig?> ConfigureAsync(ResolvedSession session);

    /// <summary>`--dry-run`: prints the sandbox and proxy the session would have; starts nothing.</summary>
    int PrintDryRun(ResolvedSession session, ProxyConfig? proxy);

    /// <summary>Before anything starts (Linux: become the subreaper of the session's processes).</summary>
    void BeforeStart();

    /// <summary>Plans the sandbox now that the proxy and the terminal exist (their port, CA file and
    /// PTY are part of the policy); reports warnings and notes on stderr.</summary>
    void Plan(ResolvedSession session, SupervisedSession supervised);

    /// <summary>Starts the sandboxed child with <paramref name="target"/>.</summary>
    Task<ISandboxedChild> LaunchAsync(ResolvedSession session, SupervisedSession supervised, LaunchTarget target);

    /// <summary>The child runs: connect it to the proxy (Linux: the listeners it handed over).</summary>
    void Attach(ISandboxedChild child, SupervisedSession supervised, ProxyConfig? proxy);

    /// <summary>After the child has gone and before the proxy stops.</summary>
    ValueTask AfterChildAsync();
}
