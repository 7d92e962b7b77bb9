namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono run` credential routes: the origin gets the real key, the child only a phantom.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunCredentialTests
{
    private const string RealKey = "sk-e2e-real-7f3a9c1d5b";

    [Fact]
    public async Task The_origin_receives_the_real_key_while_the_child_holds_only_the_phantom()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var profile = ProfileWithRoute(temp, origin);

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--profile", profile, "--", "/bin/sh", "-c",
                "echo \"phantom=$TESTAPI_KEY\"; curl -sS -H \"Authorization: Bearer $TESTAPI_KEY\" \"$TESTAPI_BASE_URL/v1/models\""],
            new Dictionary<string, string?> { ["NONO_E2E_KEY"] = RealKey });

        Assert.True(result.ExitCode == 0, result.ToString());
        var phantom = result.Stdout.Split('\n')[0]["phantom=".Length..];
        Assert.Equal(64, phantom.Length);
        Assert.DoesNotContain(RealKey, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(RealKey, result.Stderr, StringComparison.Ordinal);
        var request = Assert.Single(origin.Requests);
        Assert.StartsWith("GET /v1/models ", request, StringComparison.Ordinal);
        Assert.Contains($"Authorization: Bearer {RealKey}", request, StringComparison.Ordinal);
        Assert.DoesNotContain(phantom, request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_key_is_not_in_the_childs_environment_nor_readable_from_the_supervisor()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var profile = ProfileWithRoute(temp, origin);

        // The child looks everywhere it could: its own environment, the supervisor's environment and
        // command line (its parent), its temp directory and the working directory.
        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--profile", profile, "--", "/bin/sh", "-c",
                "env; echo; cat /proc/$PPID/environ && echo READ-SUPERVISOR\"\"-ENVIRON; tr '\\0' ' ' < /proc/$PPID/cmdline; echo; grep -rl sk-e2e \"$TMPDIR\" . 2>/dev/null; echo end"],
            new Dictionary<string, string?> { ["NONO_E2E_KEY"] = RealKey });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(RealKey, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("NONO_E2E_KEY", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("READ-SUPERVISOR-ENVIRON", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("TESTAPI_KEY=", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_describes_the_route_without_loading_or_showing_the_secret()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var profile = ProfileWithRoute(temp, origin);

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--dry-run", "--profile", profile, "--allow-domain", "example.com", "--", "/bin/true"],
            new Dictionary<string, string?> { ["NONO_E2E_KEY"] = RealKey });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"route: /testapi -> {origin.Url}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("credential env://NONO_E2E_KEY", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("proxy allows: 127.0.0.2, example.com", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("network: proxy", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(RealKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task A_credential_file_in_the_granted_working_directory_is_injected_but_unreadable_to_the_child()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var work = temp.Dir("work");
        var keyFile = temp.File("work/secrets/testapi.key", RealKey + "\n");
        var profile = temp.File("profile.json", $$"""
            {
              "extends": ["default"],
              "network": {
                "credentials": ["testapi"],
                "custom_credentials": {
                  "testapi": { "upstream": "{{origin.Url}}", "credential_key": "file://{{keyFile}}", "env_var": "TESTAPI_KEY" }
                }
              }
            }
            """);

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--profile", profile, "--", "/bin/sh", "-c",
                "ls secrets; cat secrets/testapi.key && echo KEY-READ; grep -rl sk-e2e . 2>/dev/null; curl -sS -H \"Authorization: Bearer $TESTAPI_KEY\" \"$TESTAPI_BASE_URL/v1/models\""],
            workingDirectory: work);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("KEY-READ", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(RealKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains(TestOrigin.Body, result.Stdout, StringComparison.Ordinal);
        var request = Assert.Single(origin.Requests);
        Assert.Contains($"Authorization: Bearer {RealKey}", request, StringComparison.Ordinal);
    }

    private static string ProfileWithRoute(TempTree temp, TestOrigin origin) => temp.File(
        "profile.json",
        $$"""
        {
          "extends": ["default"],
          "network": {
            "credentials": ["testapi"],
            "custom_credentials": {
              "testapi": { "upstream": "{{origin.Url}}", "credential_key": "env://NONO_E2E_KEY", "env_var": "TESTAPI_KEY" }
            }
          }
        }
        """);
}
