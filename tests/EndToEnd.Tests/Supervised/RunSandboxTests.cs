namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono run` sandbox details: bridged ports, masked credentials, the fallback without namespaces.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunSandboxTests
{
    [Fact]
    public async Task Allow_connect_port_bridges_that_one_host_loopback_port_and_no_other()
    {
        await using var service = new TestOrigin("127.0.0.1");
        await using var other = new TestOrigin("127.0.0.1");

        var result = await Run.NonoAsync(
            "run", "--allow-connect-port", service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--", "/bin/sh", "-c",
            $"curl -sS {service.Url}/bridged; echo; curl -sS {other.Url}/not-bridged; echo other-exit-$?");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(TestOrigin.Body, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("other-exit-7", result.Stdout, StringComparison.Ordinal);
        Assert.Single(service.Requests);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task Credentials_under_a_granted_home_are_hidden()
    {
        using var temp = new TempTree();
        var home = temp.Dir("home");
        temp.File("home/.ssh/id_ed25519", "PRIVATE KEY\n");
        temp.File("home/notes.txt", "visible\n");
        var work = temp.Dir("work");

        var result = await Run.ProcessAsync(
            NonoBinary.Path,
            ["run", "--read", home, "--", "/bin/sh", "-c", $"cat {home}/notes.txt; cat {home}/.ssh/id_ed25519 || echo hidden"],
            new Dictionary<string, string?> { ["HOME"] = home },
            work);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("visible", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("hidden", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_etc_secrets_are_not_readable()
    {
        var result = await Run.NonoAsync("run", "--", "/bin/sh", "-c", "cat /etc/shadow >/dev/null 2>&1 && echo read-shadow; cat /etc/hostname >/dev/null && echo read-hostname");

        Assert.Equal("read-hostname", result.Stdout);
    }

    [Fact]
    public async Task Without_user_namespaces_the_proxy_still_works_with_a_warning_and_require_isolation_refuses()
    {
        await using var origin = new TestOrigin();
        var noUserns = new Dictionary<string, string?> { ["NONO_TEST_DISABLE_USERNS"] = "1" };

        var fallback = await Run.ProcessAsync(NonoBinary.Path, ["run", "--allow-domain", origin.Host, "--", "curl", "-sS", origin.Url + "/fallback"], noUserns);
        var refused = await Run.ProcessAsync(NonoBinary.Path, ["run", "--require-isolation", "--", "/bin/true"], noUserns);

        Assert.True(fallback.ExitCode == 0, fallback.ToString());
        Assert.Equal(TestOrigin.Body, fallback.Stdout);
        Assert.Contains("WARNING: user namespaces are unavailable", fallback.Stderr, StringComparison.Ordinal);
        Assert.Equal(126, refused.ExitCode);
        Assert.Contains("--require-isolation", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inside_a_sandbox_that_forbids_user_namespaces_run_falls_back_loudly_and_works()
    {
        // Nothing in /proc/sys tells the inner nono that the outer one's seccomp filter refuses new
        // user namespaces; its trial does, and it takes the announced fallback instead of failing.
        await using var origin = new TestOrigin();
        var nonoDirectory = Path.GetDirectoryName(NonoBinary.Path)!;

        var nested = await Run.NonoAsync(
            "wrap", "--allow-net", "--read", "/etc", "--read", nonoDirectory, "--",
            NonoBinary.Path, "run", "--allow-domain", origin.Host, "--", "curl", "-sS", origin.Url + "/nested");

        Assert.True(nested.ExitCode == 0, nested.ToString());
        Assert.Equal(TestOrigin.Body, nested.Stdout);
        Assert.Contains("WARNING: user namespaces are unavailable (creating one failed", nested.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inside_a_sandbox_without_network_run_says_the_proxy_cannot_start()
    {
        var nonoDirectory = Path.GetDirectoryName(NonoBinary.Path)!;

        var nested = await Run.NonoAsync("wrap", "--read", "/etc", "--read", nonoDirectory, "--", NonoBinary.Path, "run", "--", "/bin/true");

        Assert.Equal(126, nested.ExitCode);
        Assert.Contains("nono: cannot create a TCP socket for the proxy", nested.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", nested.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", nested.Stderr, StringComparison.Ordinal);
    }
}
