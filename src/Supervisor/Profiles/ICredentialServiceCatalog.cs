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
    /// <summary>Known names, for error messages (may be empty when the source cannot list them).</summary>
    IReadOnlyCollection<string> Names { get; }

    bool TryGet(string name, [NotNullWhen(true)] out RouteConfig? route);
}

/// <summary>The catalog nono uses.</summary>
internal static class CredentialServices
{
    /// <summary>The one place that chooses the built-in service definitions.</summary>
    public static ICredentialServiceCatalog Default { get; } = new InterimBuiltInServices();
}
