using System.Diagnostics.CodeAnalysis;

namespace Nono.Proxy;

/// <summary>
/// Credential routes for well-known APIs, so that <c>--credential openai</c> needs no further setup.
/// Each route's prefix is <c>/&lt;name&gt;</c>; the child gets the SDK's own base-URL variable pointing at
/// the proxy and its API-key variable holding the phantom token.
/// </summary>
/// <remarks>
/// <para>
/// The real key is read, by default, from the OS keyring: service <c>nono</c>, account <c>&lt;name&gt;</c>
/// (the bare reference <c>openai</c>). Store it once with
/// <c>secret-tool store --label='nono openai' service nono account openai</c> (Linux) or
/// <c>security add-generic-password -s nono -a openai -w</c> (macOS). The keyring is the default
/// because a key exported in the shell is visible to every program started from it.
/// </para>
/// <para>
/// To take the key from elsewhere, replace the reference:
/// <c>route with { CredentialKey = "env://OPENAI_API_KEY" }</c> (from nono's own environment; the child
/// still sees only the phantom token), <c>file:///path</c>, <c>cmd://pass show openai</c>, or
/// <c>op://vault/item/field</c>.
/// </para>
/// </remarks>
public static class BuiltInServices
{
    private static readonly Dictionary<string, RouteConfig> Routes = new(StringComparer.OrdinalIgnoreCase)
    {
        // The OpenAI SDKs' base URL includes the API version (their default is https://api.openai.com/v1),
        // so the upstream does too: OPENAI_BASE_URL=.../openai makes .../openai/chat/completions.
        ["openai"] = Route("openai", "https://api.openai.com/v1", "Authorization", "Bearer {}", "OPENAI_API_KEY", "OPENAI_BASE_URL"),

        // The Anthropic SDKs append /v1/... to ANTHROPIC_BASE_URL.
        ["anthropic"] = Route("anthropic", "https://api.anthropic.com", "x-api-key", "{}", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),

        // The Google Gen AI SDKs append /v1beta/... to GOOGLE_GEMINI_BASE_URL. They prefer GOOGLE_API_KEY
        // over GEMINI_API_KEY when both are set, so the child must not inherit a GOOGLE_API_KEY.
        ["gemini"] = Route("gemini", "https://generativelanguage.googleapis.com", "x-goog-api-key", "{}", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"),

        // GitHub accepts "Bearer" for every token kind (classic, fine-grained, app). gh reads GH_TOKEN before
        // GITHUB_TOKEN, so the child must not inherit a GH_TOKEN. GITHUB_API_URL is the API base that Actions
        // and Octokit-based tools read.
        ["github"] = Route("github", "https://api.github.com", "Authorization", "Bearer {}", "GITHUB_TOKEN", "GITHUB_API_URL"),

        // GitLab clients take the instance URL and append /api/v4/...
        ["gitlab"] = Route("gitlab", "https://gitlab.com", "PRIVATE-TOKEN", "{}", "GITLAB_TOKEN", "GITLAB_URL"),
    };

    private static readonly string[] SortedNames = [.. Routes.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The built-in service names, sorted.</summary>
    public static IReadOnlyList<string> Names => SortedNames;

    /// <summary>The route for <paramref name="name"/> (any case). Routes are immutable records: adjust with <c>with</c>.</summary>
    public static bool TryGet(string name, [MaybeNullWhen(false)] out RouteConfig route) =>
        Routes.TryGetValue(name, out route);

    private static RouteConfig Route(string name, string upstream, string header, string format, string envVar, string baseUrlEnvVar) => new()
    {
        Prefix = "/" + name,
        Upstream = upstream,
        CredentialKey = name,
        InjectMode = InjectMode.Header,
        InjectHeader = header,
        CredentialFormat = format,
        EnvVar = envVar,
        BaseUrlEnvVar = baseUrlEnvVar,
    };
}
