namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono run`: the proxy is the child's only way to the network.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunNetworkTests
{
    [Fact]
    public async Task Curl_reaches_an_allowed_origin_through_the_proxy()
    {
        await using var origin = new TestOrigin();

        var result = await Run.NonoAsync("run", "--allow-domain", origin.Host, "--", "curl", "-sS", origin.Url + "/hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestOrigin.Body, result.Stdout);
        Assert.Single(origin.Requests);
    }

    [Fact]
    public async Task Python_reaches_an_allowed_origin_through_the_proxy()
    {
        await using var origin = new TestOrigin();

        var result = await Run.NonoAsync(
            "run", "--allow-domain", origin.Host, "--", "/usr/bin/python3", "-c",
            $"import urllib.request; print(urllib.request.urlopen('{origin.Url}/py').read().decode())");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TestOrigin.Body, result.Stdout);
    }

    [Fact]
    public async Task A_host_not_allowed_is_refused_and_named_in_the_summary()
    {
        await using var origin = new TestOrigin();

        var result = await Run.NonoAsync("run", "--", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", origin.Url + "/");

        Assert.Equal("403", result.Stdout);
        Assert.Empty(origin.Requests);
        Assert.Contains($"nono: denied: {origin.Host} (1 request) — allow with --allow-domain {origin.Host}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_connection_that_ignores_the_proxy_variables_is_refused()
    {
        await using var origin = new TestOrigin();

        var curl = await Run.NonoAsync("run", "--allow-domain", origin.Host, "--", "curl", "--noproxy", "*", "-sS", origin.Url + "/");
        var python = await Run.NonoAsync(
            "run", "--allow-domain", origin.Host, "--", "/usr/bin/python3", "-c",
            $"import socket\ntry:\n    socket.create_connection(('{origin.Host}', {origin.Port}), timeout=5)\n    print('connected')\nexcept OSError as e:\n    print('refused', e.errno)");
        var hostLoopback = await Run.NonoAsync("run", "--", "curl", "--noproxy", "*", "-sS", $"http://127.0.0.1:{origin.Port}/");

        Assert.Equal(7, curl.ExitCode); // couldn't connect
        Assert.StartsWith("refused", python.Stdout, StringComparison.Ordinal);
        Assert.Equal(7, hostLoopback.ExitCode);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Audit_events_reach_the_log_during_the_session_not_only_at_its_end()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var log = Path.Join(temp.Root, "audit.jsonl");

        var result = await Run.NonoAsync(
            "run", "--allow-domain", origin.Host, "--audit-log", log, "--read", temp.Root, "--", "/bin/sh", "-c",
            $"curl -sS -o /dev/null {origin.Url}/early; sleep 2.5; cat {log}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"path\":\"/early\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_net_gives_the_host_network_without_a_proxy()
    {
        await using var origin = new TestOrigin();

        var result = await Run.NonoAsync("run", "--allow-net", "--", "/bin/sh", "-c", $"echo proxy=${{HTTPS_PROXY:-none}}; curl -sS --noproxy '*' {origin.Url}/direct");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"proxy=none\n{TestOrigin.Body}", result.Stdout);
    }

    [Fact]
    public async Task An_audit_log_in_a_missing_directory_is_refused_before_anything_runs()
    {
        var result = await Run.NonoAsync("run", "--audit-log", "/no/such/dir/audit.jsonl", "--", "/bin/sh", "-c", "echo ran");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("--audit-log", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_net_leaves_no_network_at_all()
    {
        await using var origin = new TestOrigin();

        var result = await Run.NonoAsync("run", "--block-net", "--", "curl", "-sS", origin.Url + "/");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task A_profile_that_blocks_the_network_runs_without_a_proxy_and_blames_nothing_on_the_command()
    {
        // The network mode comes from the profile here, not from a flag: the session's launch is not
        // the one nono prepared ahead of the profile, and that preparation must vanish without a trace.
        await using var origin = new TestOrigin();
        using var tree = new TempTree();
        var profile = tree.File("block.jsonc", """{ "extends": "default", "network": { "block": true } }""");

        var result = await Run.NonoAsync("run", "--profile", profile, "--", "sh", "-c", $"curl -sS {origin.Url}/ || echo refused");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("refused", result.Stdout.Trim().Split('\n')[^1]);
        Assert.Empty(origin.Requests);
        Assert.DoesNotContain("background process", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_log_gets_one_json_line_per_decision()
    {
        await using var origin = new TestOrigin();
        using var temp = new TempTree();
        var log = Path.Join(temp.Root, "audit.jsonl");

        var result = await Run.NonoAsync(
            "run", "--allow-domain", origin.Host, "--audit-log", log, "--", "/bin/sh", "-c",
            $"curl -sS -o /dev/null {origin.Url}/allowed; curl -sS -o /dev/null http://denied.invalid/");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(log);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"decision\":\"allow\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"target\":\"127.0.0.2\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"deny\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"target\":\"denied.invalid\"", lines[1], StringComparison.Ordinal);
    }
}
