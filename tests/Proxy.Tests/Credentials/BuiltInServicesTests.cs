using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class BuiltInServicesTests
{
    public static TheoryData<string> Names => [.. BuiltInServices.Names];

    [Fact]
    public void The_five_services_are_built_in() =>
        Assert.Equal(["anthropic", "gemini", "github", "gitlab", "openai"], BuiltInServices.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_service_forwards_to_an_absolute_https_upstream(string name)
    {
        Assert.True(BuiltInServices.TryGet(name, out var route));
        Assert.True(Uri.TryCreate(route.Upstream, UriKind.Absolute, out var upstream), route.Upstream);
        Assert.Equal(Uri.UriSchemeHttps, upstream.Scheme);
        Assert.True(upstream.IsDefaultPort);
        Assert.Empty(upstream.Query);
        Assert.False(route.Upstream.EndsWith('/'));
        Assert.Equal("/" + name, route.Prefix);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_service_injects_a_header_with_exactly_one_placeholder(string name)
    {
        Assert.True(BuiltInServices.TryGet(name, out var route));
        Assert.Equal(InjectMode.Header, route.InjectMode);
        Assert.Matches("^[A-Za-z0-9-]+$", route.InjectHeader);
        Assert.Matches("^(Bearer )?\\{\\}$", route.CredentialFormat);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_service_names_the_SDK_variables_and_a_keyring_default(string name)
    {
        Assert.True(BuiltInServices.TryGet(name, out var route));
        Assert.Matches("^[A-Z][A-Z0-9_]*$", route.EnvVar);
        Assert.Matches("^[A-Z][A-Z0-9_]*$", route.BaseUrlEnvVar);
        Assert.True(CredentialReference.TryParse(route.CredentialKey, out var reference, out _, out var error), error);
        Assert.Equal(CredentialSourceKind.Keyring, reference.Kind);
        Assert.Equal($"keyring:nono/{name}", reference.Label);
    }

    [Theory]
    [InlineData("openai", "https://api.openai.com/v1", "Authorization", "Bearer {}", "OPENAI_API_KEY", "OPENAI_BASE_URL")]
    [InlineData("anthropic", "https://api.anthropic.com", "x-api-key", "{}", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com", "x-goog-api-key", "{}", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL")]
    [InlineData("github", "https://api.github.com", "Authorization", "Bearer {}", "GITHUB_TOKEN", "GITHUB_API_URL")]
    [InlineData("gitlab", "https://gitlab.com", "PRIVATE-TOKEN", "{}", "GITLAB_TOKEN", "GITLAB_URL")]
    public void Service_matches_what_its_API_and_SDKs_expect(string name, string upstream, string header, string format, string envVar, string baseUrlVar)
    {
        Assert.True(BuiltInServices.TryGet(name, out var route));
        Assert.Equal((upstream, header, format, envVar, baseUrlVar), (route.Upstream, route.InjectHeader, route.CredentialFormat, route.EnvVar, route.BaseUrlEnvVar));
    }

    [Fact]
    public void Lookup_ignores_case_and_unknown_names_are_not_found()
    {
        Assert.True(BuiltInServices.TryGet("OpenAI", out var route));
        Assert.Equal("/openai", route.Prefix);
        Assert.False(BuiltInServices.TryGet("openai2", out _));
    }

    [Fact]
    public void Reference_can_be_switched_to_the_environment()
    {
        Assert.True(BuiltInServices.TryGet("openai", out var route));

        var fromEnv = route with { CredentialKey = "env://OPENAI_API_KEY" };

        Assert.Equal("env://OPENAI_API_KEY", fromEnv.CredentialKey);
        Assert.True(BuiltInServices.TryGet("openai", out var again));
        Assert.Equal("openai", again.CredentialKey);
    }
}
