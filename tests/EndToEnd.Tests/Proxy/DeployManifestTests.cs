using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Nono.EndToEnd.Tests.Proxy;

/// <summary>
/// The files in deploy/ are what operators apply: the Kubernetes manifests must parse as YAML, and the
/// arguments and profile they give `nono proxy` must start the real binary (with the mounted paths moved
/// to a temporary directory, and the ports to free ones).
/// </summary>
public sealed class DeployManifestTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("nono-deploy-");

    private static string DeployDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "deploy"));

    /// <summary>Every document of every manifest, parsed by PyYAML, as JSON.</summary>
    private static async Task<JsonElement[]> ManifestsAsync()
    {
        var script = "import glob, json, sys, yaml\n"
            + "docs = [d for f in sorted(glob.glob(sys.argv[1] + '/kubernetes/*.yaml')) for d in yaml.safe_load_all(open(f)) if d]\n"
            + "print(json.dumps(docs))\n";
        var result = await Run.ProcessAsync("python3", ["-c", script, DeployDirectory()]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray()];
    }

    [Fact]
    public async Task Manifests_parse_and_hold_the_deployment_service_policy_probes_and_secret_volume()
    {
        var docs = await ManifestsAsync();
        var kinds = docs.Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Contains("Deployment", kinds);
        Assert.Contains("Service", kinds);
        Assert.Contains("NetworkPolicy", kinds);
        var pod = docs.First(d => d.GetProperty("kind").GetString() == "Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        Assert.Equal("/readyz", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/healthz", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.Contains(pod.GetProperty("volumes").EnumerateArray(), v => v.TryGetProperty("secret", out _));
        var workloads = docs.First(d => d.GetProperty("kind").GetString() == "NetworkPolicy");
        var egress = workloads.GetProperty("spec").GetProperty("egress");
        Assert.Equal(1, egress.GetArrayLength());
        Assert.Equal(3128, egress[0].GetProperty("ports")[0].GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task The_deployment_arguments_and_profile_start_nono_proxy()
    {
        var docs = await ManifestsAsync();
        var deployment = docs.First(d => d.GetProperty("kind").GetString() == "Deployment");
        var args = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0]
            .GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        var profileText = docs.First(d => d.GetProperty("kind").GetString() == "ConfigMap").GetProperty("data").GetProperty("profile.json").GetString()!;

        // The Secret's files and the ConfigMap, as the pod would see them, under a temporary root.
        var credentials = Directory.CreateDirectory(Path.Combine(_dir.FullName, "run/nono/credentials")).FullName;
        var etc = Directory.CreateDirectory(Path.Combine(_dir.FullName, "etc/nono")).FullName;
        await File.WriteAllTextAsync(Path.Combine(credentials, "token"), "deploy-token-0123456789abcdef\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(credentials, "llm"), "sk-test-key\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(etc, "profile.json"), profileText.Replace("file:///run/nono/credentials", "file://" + credentials, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var admin = FleetProxy.FreePort();
        var moved = args.Select(a => a.Replace("/run/nono/credentials", credentials, StringComparison.Ordinal).Replace("/etc/nono", etc, StringComparison.Ordinal)).ToList();
        moved[moved.IndexOf("--port") + 1] = "0";
        moved[moved.IndexOf("--admin-listen") + 1] = $"127.0.0.1:{admin}";

        using var proxy = await FleetProxy.StartAsync(moved, adminPort: admin);

        Assert.Equal((200, "ready"), await proxy.AdminAsync("/readyz"));
        Assert.Equal(1, await proxy.MetricAsync("nono_proxy_credential_route_up{route=\"/llm\"}"));
        Assert.DoesNotContain("deploy-token-0123456789abcdef", proxy.Stdout + proxy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await proxy.StopAsync());
    }

    [Fact]
    public async Task The_image_and_the_systemd_unit_start_nono_proxy_with_arguments_it_accepts()
    {
        var dockerfile = await File.ReadAllLinesAsync(Path.Combine(DeployDirectory(), "Dockerfile"), TestContext.Current.CancellationToken);
        Assert.Contains(dockerfile, l => l.StartsWith("USER 1654", StringComparison.Ordinal));
        var cmd = JsonSerializer.Deserialize<string[]>(dockerfile.Single(l => l.StartsWith("CMD ", StringComparison.Ordinal))[4..])!.ToList();
        var admin = FleetProxy.FreePort();
        cmd[cmd.IndexOf("--port") + 1] = "0";
        cmd[cmd.IndexOf("--admin-listen") + 1] = $"127.0.0.1:{admin}";
        using (var image = await FleetProxy.StartAsync(cmd, adminPort: admin))
        {
            Assert.Equal((200, "ready"), await image.AdminAsync("/readyz"));
            Assert.Equal(0, await image.StopAsync());
        }

        var unit = await File.ReadAllLinesAsync(Path.Combine(DeployDirectory(), "systemd", "nono-proxy.service"), TestContext.Current.CancellationToken);
        var exec = unit.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        var credentials = Directory.CreateDirectory(Path.Combine(_dir.FullName, "creds")).FullName;
        await File.WriteAllTextAsync(Path.Combine(credentials, "token"), "unit-token-0123456789abcdef\n", TestContext.Current.CancellationToken);
        var profile = Path.Combine(_dir.FullName, "unit-profile.json");
        await File.WriteAllTextAsync(profile, """{"extends": "default"}""", TestContext.Current.CancellationToken);
        exec = [.. exec.Select(a => a.Replace("${CREDENTIALS_DIRECTORY}", credentials, StringComparison.Ordinal).Replace("/etc/nono/profile.json", profile, StringComparison.Ordinal))];
        admin = FleetProxy.FreePort();
        exec[exec.IndexOf("--port") + 1] = "0";
        exec[exec.IndexOf("--admin-listen") + 1] = $"127.0.0.1:{admin}";
        using var service = await FleetProxy.StartAsync(exec, adminPort: admin);
        Assert.Equal((200, "ready"), await service.AdminAsync("/readyz"));
        Assert.Equal(0, await service.StopAsync());
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
