namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`--credential openai` with the key only in nono's environment (no keyring): loaded, named, never passed on.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BuiltInCredentialTests
{
    private const string RealKey = "sk-e2e-only-in-nonos-environment-4c1d";

    [Fact]
    public async Task The_key_comes_from_nonos_environment_and_the_child_sees_only_the_phantom()
    {
        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--credential", "openai", "--", "/bin/sh", "-c", "echo \"key=$OPENAI_API_KEY\"; echo \"url=$OPENAI_BASE_URL\"; env; cat /proc/$PPID/environ; echo end"],
            new Dictionary<string, string?> { ["OPENAI_API_KEY"] = RealKey, ["DBUS_SESSION_BUS_ADDRESS"] = null, ["DISPLAY"] = null });

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Matches("^key=[0-9a-f]{64}$", lines[0]);
        Assert.Equal("url=http://127.0.0.1:3128/openai", lines[1]);
        Assert.Contains("route /openai -> https://api.openai.com/v1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("credential ✓ env://OPENAI_API_KEY", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(RealKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_anywhere_the_route_line_names_every_source_tried()
    {
        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--credential", "openai", "--", "/bin/true"],
            new Dictionary<string, string?> { ["OPENAI_API_KEY"] = null, ["DBUS_SESSION_BUS_ADDRESS"] = null, ["DISPLAY"] = null });

        Assert.Contains("credential ✗ keyring:nono/openai, else env://OPENAI_API_KEY", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY is not set in nono's environment", result.Stderr, StringComparison.Ordinal);
    }
}
