using System.Diagnostics;
using Nono.EndToEnd.Tests.Supervised;

namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>`nono proxy --profile` with a credential route: a client that uses only the printed exports
/// reaches the upstream with the real key injected, and never holds more than the phantom.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProxyCredentialTests
{
    private const string RealKey = "sk-e2e-standalone-4b8e2a";

    [Fact]
    public async Task A_profile_credential_route_injects_the_real_key_for_a_client_holding_the_phantom()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var key = temp.File("key", RealKey + "\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var profile = temp.File(
            "profile.json",
            $$"""
            {
              "network": {
                "credentials": ["testapi"],
                "custom_credentials": {
                  "testapi": { "upstream": "{{origin.Url}}", "credential_key": "file://{{key}}", "env_var": "TESTAPI_KEY" }
                }
              }
            }
            """);
        using var nono = Process.Start(new ProcessStartInfo(NonoBinary.Path)
        {
            ArgumentList = { "proxy", "--profile", profile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stderr = nono.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            var exports = await ProxyServeTests.ReadExportsAsync(nono);
            var phantom = exports["TESTAPI_KEY"];
            Assert.NotEqual(RealKey, phantom);
            Assert.DoesNotContain(exports.Values, value => value.Contains(RealKey, StringComparison.Ordinal));

            var env = exports.ToDictionary(e => e.Key, e => (string?)e.Value);
            var result = await Run.ProcessAsync(
                "curl", ["-sS", "--max-time", "20", "-H", $"Authorization: Bearer {phantom}", $"{exports["TESTAPI_BASE_URL"]}/v1/models"], env);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(TestOrigin.Body, result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(RealKey, result.Stdout, StringComparison.Ordinal);
            var request = Assert.Single(origin.Requests);
            Assert.Contains($"Authorization: Bearer {RealKey}", request, StringComparison.Ordinal);
            Assert.DoesNotContain(phantom, request, StringComparison.Ordinal);
        }
        finally
        {
            if (!nono.HasExited)
                nono.Kill();
            await nono.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(RealKey, await stderr, StringComparison.Ordinal);
    }
}
