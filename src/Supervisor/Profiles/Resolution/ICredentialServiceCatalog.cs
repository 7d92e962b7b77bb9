using System.Diagnostics.CodeAnalysis;
using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Maps a built-in credential service name (<c>network.credentials</c>, <c>--credential</c>) to the
/// proxy route that brokers it. The proxy library owns the definitions; this seam keeps profile
/// resolution independent of where they live and lets tests supply their own.
/// </summary>
internal interface ICredentialServiceCatalog
{
    /// <summary>Known names, for error messages.</summary>
    IReadOnlyCollection<string> Names { get; }

    bool TryGet(string name, [NotNullWhen(true)] out RouteConfig? route);
}

/// <summary>The catalog nono uses: the proxy library's <c>BuiltInServices</c>.</summary>
internal sealed class CredentialServices : ICredentialServiceCatalog
{
    public static ICredentialServiceCatalog Default { get; } = new CredentialServices();

    public IReadOnlyCollection<string> Names => BuiltInServices.Names;

    public bool TryGet(string name, [NotNullWhen(true)] out RouteConfig? route)
    {
        var found = BuiltInServices.TryGet(name, out var candidate);
        route = candidate;
        return found;
    }
}
