namespace Nono.Supervisor.Profiles;

/// <summary>
/// Named sets of hosts that <c>network.network_profile</c>, <c>network.allow_domain</c> and
/// <c>--allow-domain</c> accept in place of host names. Each set is what the named service needs to
/// work through the proxy, kept narrow: no wildcards over shared hosting or storage domains
/// (such as storage.googleapis.com), which would allow uploads anywhere.
/// </summary>
internal static class NetworkGroups
{
    private static readonly Dictionary<string, string[]> Groups = new(StringComparer.Ordinal)
    {
        ["llm_apis"] =
        [
            "api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com", "api.mistral.ai",
            "api.groq.com", "api.deepseek.com", "api.x.ai", "api.cohere.com", "api.together.xyz",
            "api.fireworks.ai", "api.perplexity.ai", "openrouter.ai",
        ],
        ["npm"] = ["registry.npmjs.org", "registry.yarnpkg.com", "repo.yarnpkg.com"],
        ["pypi"] = ["pypi.org", "files.pythonhosted.org"],
        ["crates"] = ["crates.io", "static.crates.io", "index.crates.io"],
        ["go_modules"] = ["proxy.golang.org", "sum.golang.org"],
        ["rubygems"] = ["rubygems.org", "index.rubygems.org"],
        ["maven"] = ["repo.maven.apache.org", "repo1.maven.org", "plugins.gradle.org", "services.gradle.org", "downloads.gradle.org"],
        ["nuget"] = ["api.nuget.org", "globalcdn.nuget.org"],
        ["github"] =
        [
            "github.com", "api.github.com", "codeload.github.com", "objects.githubusercontent.com",
            "raw.githubusercontent.com", "release-assets.githubusercontent.com", "uploads.github.com",
        ],
        ["gitlab"] = ["gitlab.com", "registry.gitlab.com"],
        ["docker"] =
        [
            "registry-1.docker.io", "auth.docker.io", "index.docker.io", "production.cloudflare.docker.com",
            "ghcr.io", "pkg-containers.githubusercontent.com", "quay.io", "cdn.quay.io", "mcr.microsoft.com",
        ],
        ["huggingface"] = ["huggingface.co", "cdn-lfs.huggingface.co", "cdn-lfs-us-1.huggingface.co", "cas-bridge.xethub.hf.co"],
        ["sourcegraph"] = ["sourcegraph.com"],
        ["sigstore"] = ["rekor.sigstore.dev", "fulcio.sigstore.dev", "tuf-repo-cdn.sigstore.dev", "oauth2.sigstore.dev"],
        ["documentation"] = ["docs.python.org", "docs.rs", "doc.rust-lang.org", "developer.mozilla.org", "nodejs.org", "go.dev", "pkg.go.dev", "learn.microsoft.com"],

        // Vertex AI only: a wildcard over googleapis.com would include storage.googleapis.com.
        ["google_cloud"] = ["aiplatform.googleapis.com", "oauth2.googleapis.com"],
    };

    private static readonly string[] DeveloperGroups = ["llm_apis", PackageRegistries, "github", "gitlab", "sigstore", "documentation"];

    /// <summary>nono's network profiles: names for sets of groups. (Its "enterprise" profile and the
    /// azure and aws_bedrock groups are wildcards over per-customer names, which a group here never is.)</summary>
    private static readonly Dictionary<string, string[]> Profiles = new(StringComparer.Ordinal)
    {
        ["developer"] = DeveloperGroups,
        ["claude-code"] = DeveloperGroups,
        ["codex"] = DeveloperGroups,
        ["opencode"] = DeveloperGroups,
        ["minimal"] = ["llm_apis"],
    };

    /// <summary>Every package registry group together.</summary>
    private static readonly string[] RegistryGroups = ["npm", "pypi", "crates", "go_modules", "rubygems", "maven", "nuget"];

    private const string PackageRegistries = "package_registries";

    public static IReadOnlyList<string> Names { get; } =
        [.. Groups.Keys.Append(PackageRegistries).Concat(Profiles.Keys).Order(StringComparer.Ordinal)];

    public static bool IsGroup(string name) => name == PackageRegistries || Groups.ContainsKey(name) || Profiles.ContainsKey(name);

    public static IReadOnlyList<string> Hosts(string group) => group == PackageRegistries
        ? [.. RegistryGroups.SelectMany(g => Groups[g]).Distinct(StringComparer.Ordinal)]
        : Profiles.TryGetValue(group, out var members)
            ? [.. members.SelectMany(Hosts).Distinct(StringComparer.Ordinal)]
            : Groups.TryGetValue(group, out var hosts)
                ? hosts
                : throw new ArgumentException($"'{group}' is not a network group.", nameof(group));

    /// <summary>Expands one <c>allow_domain</c> entry: a group name to its hosts, a host pattern to itself (normalised).</summary>
    public static IEnumerable<string> Expand(Located<string> entry) => IsGroup(entry.Value)
        ? Hosts(entry.Value)
        : [HostPattern.Normalize(entry.Value, entry.Where)];

    /// <summary>Validates an entry for a list that takes groups only (<c>network_profile</c>).</summary>
    public static void RequireGroup(Located<string> entry)
    {
        if (!IsGroup(entry.Value))
        {
            throw ProfileException.At(entry.Where, $"unknown network group '{entry.Value}'; known groups: {string.Join(", ", Names)}");
        }
    }
}
