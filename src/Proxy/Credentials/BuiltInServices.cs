using System.Diagnostics.CodeAnalysis;

namespace Nono.Proxy;

/// <summary>
/// Credential routes for well-known APIs, so that <c>--credential openai</c> needs no further setup.
/// Each route's prefix is <c>/&lt;name&gt;</c>; the child gets the SDK's own base-URL variable pointing at
/// the proxy and its API-key variable holding the phantom token.
/// </summary>
/// <remarks>
/// <para>
/// The real key is read from the OS keyring: service <c>nono</c>, account <c>&lt;name&gt;</c> (the bare
/// reference <c>openai</c>). Store it once with
/// <c>secret-tool store --label='nono openai' service nono account openai</c> (Linux) or
/// <c>security add-generic-password -s nono -a openai -w</c> (macOS). When the keyring has no such key
/// (or there is no keyring), the service's conventional variable in nono's own environment is used
/// (<see cref="RouteConfig.FallbackCredentialKeys"/>: <c>OPENAI_API_KEY</c>, <c>ANTHROPIC_API_KEY</c>,
/// <c>GH_TOKEN</c> then <c>GITHUB_TOKEN</c>, ...); the child still sees only the phantom token.
/// </para>
/// <para>
/// To take the key from elsewhere, replace the reference:
/// <c>route with { CredentialKey = "file:///path" }</c>, <c>cmd://pass show openai</c>, or
/// <c>op://vault/item/field</c>.
/// </para>
/// </remarks>
public static class BuiltInServices
{
    private static readonly Dictionary<string, RouteConfig> Routes = new(StringComparer.OrdinalIgnoreCase)
    {
        // The OpenAI SDKs' base URL includes the API version (their default is https://api.openai.com/v1),
        // so the upstream does too: OPENAI_BASE_URL=.../openai makes .../openai/chat/completions.
        ["openai"] = Route("openai", "https://api.openai.com/v1", "Authorization", "Bearer {}", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_KEY"),

        // The Anthropic SDKs append /v1/... to ANTHROPIC_BASE_URL.
        ["anthropic"] = Route("anthropic", "https://api.anthropic.com", "x-api-key", "{}", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"),

        // The Google Gen AI SDKs append /v1beta/... to GOOGLE_GEMINI_BASE_URL. They prefer GOOGLE_API_KEY
        // over GEMINI_API_KEY when both are set, so the child must not inherit a GOOGLE_API_KEY.
        ["gemini"] = Route("gemini", "https://generativelanguage.googleapis.com", "x-goog-api-key", "{}", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY"),

        // GitHub accepts "Bearer" for every token kind (classic, fine-grained, app). gh reads GH_TOKEN before
        // GITHUB_TOKEN, so the child must not inherit a GH_TOKEN. GITHUB_API_URL is the API base that Actions
        // and Octokit-based tools read.
        ["github"] = Route("github", "https://api.github.com", "Authorization", "Bearer {}", "GITHUB_TOKEN", "GITHUB_API_URL", "GH_TOKEN", "GITHUB_TOKEN"),

        // GitLab clients take the instance URL and append /api/v4/...
        ["gitlab"] = Route("gitlab", "https://gitlab.com", "PRIVATE-TOKEN", "{}", "GITLAB_TOKEN", "GITLAB_URL", "GITLAB_TOKEN"),
    };

    private static readonly string[] SortedNames = [.. Routes.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The built-in service names, sorted.</summary>
    public static IReadOnlyList<string> Names => SortedNames;

    /// <summary>The route for <paramref name="name"/> (any case). Routes are immutable records: adjust with <c>with</c>.</summary>
    public static bool TryGet(string name, [MaybeNullWhen(false)] out RouteConfig route) =>
        Routes.TryGetValue(name, out route);

    /// <param name="keyVariables">The variables the service's own tools read the key from, in their order of preference.</param>
    private static RouteConfig Route(string name, string upstream, string header, string format, string envVar, string baseUrlEnvVar, params string[] keyVariables) => new()
    {
        Prefix = "/" + name,
        Upstream = upstream,
        CredentialKey = name,
        FallbackCredentialKeys = [.. keyVariables.Select(variable => "env://" + variable)],
        InjectMode = InjectMode.Header,
        InjectHeader = header,
        CredentialFormat = format,
        EnvVar = envVar,
        BaseUrlEnvVar = baseUrlEnvVar,
    };
}
