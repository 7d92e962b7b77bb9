using System.Globalization;
using System.Text;

namespace Nono.Proxy;

public sealed partial record ProxyConfig
{
    /// <summary>
    /// Replaces the generated member list, which would print <see cref="FixedToken"/> (the session token
    /// that authorises use of the proxy). The external proxy's password is redacted by its own ToString.
    /// </summary>
    private bool PrintMembers(StringBuilder builder)
    {
        var c = CultureInfo.InvariantCulture;
        builder.Append("AllowedHosts = [").AppendJoin(", ", AllowedHosts).Append(']')
            .Append(", DenyUnlistedHosts = ").Append(DenyUnlistedHosts)
            .Append(", Routes = [").AppendJoin(", ", Routes).Append(']')
            .Append(", ExternalProxy = ").Append(ExternalProxy)
            .Append(", BindAddress = ").Append(BindAddress)
            .Append(", BindPort = ").Append(BindPort.ToString(c))
            .Append(", ListenSockets = ").Append(ListenSockets.Count.ToString(c))
            .Append(", BindOwnListener = ").Append(BindOwnListener)
            .Append(", MaxConnections = ").Append(MaxConnections.ToString(c))
            .Append(", MaxConnectionsPerPeer = ").Append(MaxConnectionsPerPeer.ToString(c))
            .Append(", RequireAuth = ").Append(RequireAuth)
            .Append(", FixedToken = ").Append(FixedToken is null ? "" : "[redacted]")
            .Append(", HeaderTimeout = ").Append(HeaderTimeout.ToString("c", c))
            .Append(", FirstByteTimeout = ").Append(FirstByteTimeout.ToString("c", c))
            .Append(", ConnectTimeout = ").Append(ConnectTimeout.ToString("c", c))
            .Append(", IdleTimeout = ").Append(IdleTimeout.ToString("c", c))
            .Append(", BodyProgressTimeout = ").Append(BodyProgressTimeout.ToString("c", c))
            .Append(", TlsIntercept = ").Append(TlsIntercept)
            .Append(", AuditCapacity = ").Append(AuditCapacity.ToString(c))
            .Append(", Resolver = ").Append(Resolver is null ? "system" : "custom");
        return true;
    }
}
