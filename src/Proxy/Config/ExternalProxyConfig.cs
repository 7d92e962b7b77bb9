using System.Text;

namespace Nono.Proxy;

/// <summary>A corporate proxy that outbound connections are chained through.</summary>
public sealed record ExternalProxyConfig
{
    /// <summary><c>host:port</c> of the external proxy.</summary>
    public required string Address { get; init; }

    /// <summary>Hosts reached directly instead (exact or <c>*.suffix</c>).</summary>
    public IReadOnlyList<string> BypassHosts { get; init; } = [];

    /// <summary>Proxy-Authorization credentials for the external proxy, if it needs them.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    // The generated ToString would print the password: configurations end up in logs and exception messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Address = ").Append(Address)
            .Append(", BypassHosts = [").AppendJoin(", ", BypassHosts).Append(']')
            .Append(", Username = ").Append(Username)
            .Append(", Password = ").Append(Password is null ? "" : "[redacted]");
        return true;
    }
}
