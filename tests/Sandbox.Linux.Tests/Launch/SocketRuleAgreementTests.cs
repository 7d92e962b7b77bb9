using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>
/// What `--dry-run` says about sockets and what stage 2 makes the kernel enforce must be the same
/// decision. For each network mode, the plan's printed socket line is read as a user would read it,
/// then a real child launched from that very plan tries to open TCP and UDP sockets, and the
/// refusals it meets must be the ones the line promised.
/// </summary>
public sealed class SocketRuleAgreementTests
{
    private const ushort ProxyPort = 18081;

    // Opens each kind of socket and prints "ok" or the errno for each, in this order.
    private const string Attempts =
        "import socket\n" +
        "def attempt(family, kind):\n" +
        "    try:\n" +
        "        socket.socket(family, kind).close()\n" +
        "        return 'ok'\n" +
        "    except OSError as error:\n" +
        "        return str(error.errno)\n" +
        "print(attempt(socket.AF_INET, socket.SOCK_STREAM), attempt(socket.AF_INET6, socket.SOCK_STREAM), attempt(socket.AF_INET, socket.SOCK_DGRAM))\n";

    [Theory]
    [InlineData("blocked")]
    [InlineData("host")]
    [InlineData("proxy")]
    [InlineData("proxy-fallback")]
    public async Task Dry_run_socket_rule_is_what_stage_2_enforces(string mode)
    {
        var python = new[] { "/usr/bin/python3", "/bin/python3" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(python is null, "python3 is not installed");
        var detected = LinuxHost.Detect();
        var host = mode == "proxy-fallback" ? detected with { UserNamespaces = detected.UserNamespaces.Unavailable("simulated") } : detected;
        Assert.SkipWhen(mode == "proxy" && !host.UserNamespaces.Available, "user namespaces are unavailable here");
        var network = mode switch
        {
            "blocked" => NetworkPolicy.Blocked,
            "host" => NetworkPolicy.Host,
            _ => NetworkPolicy.ViaProxy(ProxyPort),
        };
        var plan = LinuxLaunchPlan.Create(new SandboxPolicy { Grants = LinuxSystemPolicy.BaseGrants(PrivateTemp.Ensure()), Network = network }, host);

        var promised = Promised(Assert.Single(plan.Describe(), line => line.StartsWith("  sockets: ", StringComparison.Ordinal)));
        var enforced = await AttemptsInside(plan, python!);

        Assert.Equal(promised, enforced);
    }

    /// <summary>The outcome (TCP over IPv4, TCP over IPv6, UDP) a reader of the dry-run line expects; 1 is EPERM.</summary>
    private static string Promised(string line) =>
        line.Contains("TCP streams only", StringComparison.Ordinal) ? "ok ok 1"
        : line.Contains("AF_INET, AF_INET6", StringComparison.Ordinal) ? "ok ok ok"
        : "1 1 1";

    private static async Task<string> AttemptsInside(LinuxLaunchPlan plan, string python)
    {
        var (program, prefix) = Stage2Host.Command;
        var output = Path.GetTempFileName();
        try
        {
            using (var stdout = File.OpenHandle(output, FileMode.Create, FileAccess.Write))
            {
                await using var child = await SandboxLauncher.StartAsync(
                    new SandboxLaunchRequest
                    {
                        Plan = plan,
                        Target = new LaunchTarget(python, [python, "-I", "-c", Attempts], ["PATH=/usr/bin:/bin"], "/"),
                        Stage2Program = program,
                        Stage2Arguments = prefix,
                        StandardOutput = stdout,
                    },
                    TestContext.Current.CancellationToken);
                Assert.Equal(0, await child.WaitForExitAsync(TestContext.Current.CancellationToken));
            }

            return (await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken)).Trim();
        }
        finally
        {
            File.Delete(output);
        }
    }
}
