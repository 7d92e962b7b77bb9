using System.Diagnostics.CodeAnalysis;
using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// TEMPORARY: a minimal copy of the built-in credential services, used until the proxy library's
/// <c>Nono.Proxy.BuiltInServices.TryGet(string, out RouteConfig)</c> is available. Delete this file
/// when it is, and point <see cref="CredentialServices.Default"/> at an adapter over that method.
/// </summary>
internal sealed class InterimBuiltInServices : ICredentialServiceCatalog
{
    private static readonly Dictionary<string, RouteConfig> Services = new(StringComparer.Ordinal)
    {
        ["openai"] = new RouteConfig
        {
            Prefix = "/openai",
            Upstream = "https://api.openai.com",
            CredentialKey = "env://OPENAI_API_KEY",
            EnvVar = "OPENAI_API_KEY",
            BaseUrlEnvVar = "OPENAI_BASE_URL",
        },
        ["anthropic"] = new RouteConfig
        {
            Prefix = "/anthropic",
            Upstream = "https://api.anthropic.com",
            CredentialKey = "env://ANTHROPIC_API_KEY",
            InjectHeader = "x-api-key",
            CredentialFormat = "{}",
            EnvVar = "ANTHROPIC_API_KEY",
            BaseUrlEnvVar = "ANTHROPIC_BASE_URL",
        },
    };

    public IReadOnlyCollection<string> Names => Services.Keys;

    public bool TryGet(string name, [NotNullWhen(true)] out RouteConfig? route) => Services.TryGetValue(name, out route);
}
