namespace Nono.Proxy;

/// <summary>The parts of the configuration a supervised session adds: hosts denied whatever is allowed, and the live allowlist.</summary>
public sealed partial record ProxyConfig
{
    /// <summary>
    /// Hosts refused even when <see cref="AllowedHosts"/> or <see cref="SessionHosts"/> match them
    /// (a profile's <c>network.deny_domain</c>): exact names or <c>*.suffix</c>. Checked right after
    /// the hard deny list.
    /// </summary>
    public IReadOnlyList<string> DeniedHosts { get; init; } = [];

    /// <summary>The allowlist that changes while the session runs; null: the allowlist is fixed.</summary>
    public SessionHosts? SessionHosts { get; init; }
}
