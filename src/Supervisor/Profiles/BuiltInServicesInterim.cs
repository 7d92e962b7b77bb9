using System.Diagnostics.CodeAnalysis;
using Nono.Proxy;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// TEMPORARY stand-in with the same shape as <c>Nono.Proxy.BuiltInServices</c> (two of its services).
/// Delete this file when the proxy library provides that class: <see cref="CredentialServices"/> then
/// binds to it with no other change.
/// </summary>
internal static class BuiltInServices
{
    private static readonly Dictionary<string, RouteConfig> Routes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = new RouteConfig
        {
            Prefix = "/openai",
            Upstream = "https://api.openai.com/v1",
            CredentialKey = "openai",
            EnvVar = "OPENAI_API_KEY",
            BaseUrlEnvVar = "OPENAI_BASE_URL",
        },
        ["anthropic"] = new RouteConfig
        {
            Prefix = "/anthropic",
            Upstream = "https://api.anthropic.com",
            CredentialKey = "anthropic",
            InjectHeader = "x-api-key",
            CredentialFormat = "{}",
            EnvVar = "ANTHROPIC_API_KEY",
            BaseUrlEnvVar = "ANTHROPIC_BASE_URL",
        },
    };

    public static IReadOnlyList<string> Names { get; } = [.. Routes.Keys.Order(StringComparer.Ordinal)];

    public static bool TryGet(string name, [MaybeNullWhen(false)] out RouteConfig route) => Routes.TryGetValue(name, out route);
}
