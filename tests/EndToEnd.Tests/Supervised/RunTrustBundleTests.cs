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

    [Fact]
    public async Task A_sigkilled_nono_leaves_the_bundle_only_in_its_locked_temp_directory_which_the_next_session_removes()
    {
        using var temp = new TempTree();
        var hostTemp = temp.Dir("hosttemp");
        var runtime = temp.Dir("runtime");
        File.SetUnixFileMode(runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string> { ["TMPDIR"] = hostTemp, ["XDG_RUNTIME_DIR"] = runtime };
        string sessionTemp, bundle;
        using (var session = new NonoSession(environment, "run", "--profile", HttpsRouteProfile(temp), "--", "/bin/sh", "-c", $"echo \"$TMPDIR\"; {PrintBundle}; exec sleep 30"))
        {
            sessionTemp = await session.ReadLineAsync();
            bundle = await session.ReadLineAsync();
            Assert.Equal("-----BEGIN CERTIFICATE-----", await session.ReadLineAsync());
            await session.SignalAsync("KILL");
            await session.WaitAsync();
        }

        Assert.StartsWith(sessionTemp + "/", bundle, StringComparison.Ordinal);
        Assert.True(File.Exists(bundle), "a SIGKILLed nono cannot clean up after itself");
        Assert.Empty(Directory.EnumerateFileSystemEntries(environment["XDG_RUNTIME_DIR"]));

        Directory.SetLastWriteTimeUtc(sessionTemp, DateTime.UtcNow.AddMinutes(-5));
        var next = await Run.ProcessAsync(NonoBinary.Path, ["run", "--", "/bin/true"], environment.ToDictionary(pair => pair.Key, pair => (string?)pair.Value));
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.False(File.Exists(bundle));
        Assert.Empty(Directory.EnumerateFileSystemEntries(hostTemp));
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
