namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono run` with TLS interception: the child can read the session's trust bundle, and the
/// bundle and its directory are gone once the session ends, however it ends.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunTrustBundleTests
{
    private const string PrintBundle = "echo \"$SSL_CERT_FILE\"; head -n 1 \"$SSL_CERT_FILE\"";

    [Fact]
    public async Task The_child_reads_the_bundle_and_it_is_deleted_when_the_child_exits()
    {
        using var temp = new TempTree();

        var result = await Run.NonoAsync("run", "--profile", HttpsRouteProfile(temp), "--", "/bin/sh", "-c", PrintBundle);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.EndsWith(".pem", lines[0], StringComparison.Ordinal);
        Assert.Equal("-----BEGIN CERTIFICATE-----", lines[1]);
        Assert.False(File.Exists(lines[0]));
        Assert.False(Directory.Exists(Path.GetDirectoryName(lines[0])));
        Assert.Contains("tls-intercept on", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task The_bundle_is_deleted_when_nono_is_interrupted_or_terminated(string signal)
    {
        using var temp = new TempTree();
        using var session = new NonoSession("run", "--profile", HttpsRouteProfile(temp), "--", "/bin/sh", "-c", $"{PrintBundle}; exec sleep 30");
        var bundle = await session.ReadLineAsync();
        Assert.Equal("-----BEGIN CERTIFICATE-----", await session.ReadLineAsync());
        Assert.True(File.Exists(bundle));

        await session.SignalAsync(signal);
        await session.WaitAsync();

        Assert.False(File.Exists(bundle));
        Assert.False(Directory.Exists(Path.GetDirectoryName(bundle)));
    }

    /// <summary>A route to an https upstream that holds a credential: its CONNECTs must be intercepted,
    /// so the session mints a CA and writes a trust bundle. Nothing connects to the upstream.</summary>
    private static string HttpsRouteProfile(TempTree temp)
    {
        var key = temp.File("key", "sk-e2e-bundle-test\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return temp.File(
            "profile.json",
            $$"""
            {
              "extends": ["default"],
              "network": {
                "credentials": ["secureapi"],
                "custom_credentials": {
                  "secureapi": { "upstream": "https://api.example.com", "credential_key": "file://{{key}}", "env_var": "SECUREAPI_KEY" }
                }
              }
            }
            """);
    }
}
