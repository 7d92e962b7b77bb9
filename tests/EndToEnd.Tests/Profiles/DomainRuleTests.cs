using System.Diagnostics;

namespace Nono.EndToEnd.Tests.Profiles;

/// <summary>
/// nono profiles' <c>allow_domain</c> endpoint entries, served by the published binary's proxy to a real
/// client: only the listed method and path pairs reach the origin.
/// </summary>
public sealed class DomainRuleTests : IDisposable
{
    // 127.0.0.1 is in the printed NO_PROXY, so the origin lives elsewhere on the loopback network.
    private const string OriginAddress = "127.0.0.4";

    private readonly string _root = Directory.CreateTempSubdirectory("nono-domain-rules-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Endpoint_rule_of_a_profile_refuses_what_it_does_not_list_and_allows_what_it_lists()
    {
        using var origin = new Proxy.ProxyServeTests.TinyOrigin(OriginAddress);
        var profile = Path.Join(_root, "rules.json");
        await File.WriteAllTextAsync(profile, $$$"""
            {"network": {"allow_domain": [{"domain": "{{{OriginAddress}}}", "endpoints": [{"method": "GET", "path": "/v1/**"}]}]}}
            """, TestContext.Current.CancellationToken);
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
            var exports = await Proxy.ProxyServeTests.ReadExportsAsync(nono);
            var url = $"http://{OriginAddress}:{origin.Port}";

            var listed = await StatusAsync(exports, [$"{url}/v1/items"]);
            var otherPath = await StatusAsync(exports, [$"{url}/admin"]);
            var otherMethod = await StatusAsync(exports, ["-X", "DELETE", $"{url}/v1/items"]);
            var walkOut = await StatusAsync(exports, ["--path-as-is", $"{url}/v1/../admin"]);

            Assert.True(listed == "200", listed + "\n" + (nono.HasExited ? await stderr : ""));
            Assert.Equal("403", otherPath);
            Assert.Equal("403", otherMethod);
            Assert.StartsWith("4", walkOut, StringComparison.Ordinal);
            Assert.Equal(1, origin.Requests);
        }
        finally
        {
            if (!nono.HasExited)
                nono.Kill();
        }
    }

    [Fact]
    public async Task Dry_run_prints_the_denied_hosts_and_the_endpoint_rules_of_hosts_and_routes()
    {
        var profile = Path.Join(_root, "dry.json");
        await File.WriteAllTextAsync(profile, """
            {"network": {
              "allow_domain": ["*.example.com", {"domain": "api.example.org", "endpoints": [{"method": "GET", "path": "/v1/**"}, {"method": "post", "path": "/v1/jobs"}]}],
              "deny_domain": ["ads.example.com", "*.tracker.example.com"],
              "credentials": ["svc"],
              "custom_credentials": {"svc": {"upstream": "https://svc.example.net", "credential_key": "env://NONO_DRY_SECRET",
                "endpoint_rules": [{"method": "GET", "path": "/models"}]}}
            }}
            """, TestContext.Current.CancellationToken);

        var result = await Run.ProcessAsync(NonoBinary.Path, ["run", "--dry-run", "--profile", profile, "--", "/bin/true"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("proxy denies: ads.example.com, *.tracker.example.com (even where allowed)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("endpoints: api.example.org only GET /v1/**, POST /v1/jobs", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("route: /svc only GET /models", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task<string> StatusAsync(Dictionary<string, string> exports, string[] args)
    {
        var env = new Dictionary<string, string?>(exports.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
        var result = await Run.ProcessAsync("curl", ["-s", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}", .. args], env);
        return result.Stdout.Trim();
    }
}
