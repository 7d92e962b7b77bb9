namespace Nono.Proxy;

/// <summary>The part of the configuration a supervised session adds: the live allowlist (<see cref="DeniedHosts"/> still wins over it).</summary>
public sealed partial record ProxyConfig
{
    /// <summary>The allowlist that changes while the session runs; null: the allowlist is fixed.</summary>
    public SessionHosts? SessionHosts { get; init; }
}
