using System.Diagnostics.CodeAnalysis;
using Nono.Proxy;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>A credential catalog with two services whose names and variables the tests can rely on.</summary>
internal sealed class TestCatalog : ICredentialServiceCatalog
{
    private readonly Dictionary<string, RouteConfig> _services = new(StringComparer.Ordinal)
    {
        ["openai"] = new RouteConfig
        {
            Prefix = "/openai",
            Upstream = "https://api.openai.com",
            CredentialKey = "env://OPENAI_API_KEY",
            EnvVar = "OPENAI_API_KEY",
            BaseUrlEnvVar = "OPENAI_BASE_URL",
        },
        ["github"] = new RouteConfig
        {
            Prefix = "/github",
            Upstream = "https://api.github.com",
            CredentialKey = "env://REAL_GH_SECRET",
            EnvVar = "GH_TOKEN",
        },
    };

    public IReadOnlyCollection<string> Names => _services.Keys;

    public bool TryGet(string name, [NotNullWhen(true)] out RouteConfig? route) => _services.TryGetValue(name, out route);
}
