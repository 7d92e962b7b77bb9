using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.EndToEnd;

/// <summary>python3 as a user's program would use it, through the modes other tests drive with curl and HttpClient.</summary>
public sealed class PythonClientModeTests
{
    [Fact]
    public async Task Python_requests_over_socks5h_reaches_the_origin_and_the_name_is_resolved_by_the_proxy()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        const string script = "import sys, requests\n"
            + "proxy = sys.argv[2]\n"
            + "r = requests.get(sys.argv[1], proxies={'http': proxy, 'https': proxy}, timeout=20)\n"
            + "print(r.status_code)\nprint(r.text)";

        var result = await Cli.PythonScript(script, null, $"{origin.Url}/py-socks", $"socks5h://nono:{proxy.Token}@127.0.0.1:{proxy.Port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("200", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("origin saw: GET /py-socks", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Socks5, Decision: AuditDecision.Allow, Target: OriginServer.Host });
    }

    [Fact]
    public async Task Python_requests_over_socks5_with_a_wrong_token_never_reaches_the_origin()
    {
        await using var origin = new OriginServer();
        await using var proxy = await Proxies.StartAsync();
        const string script = "import sys, requests\n"
            + "try:\n    requests.get(sys.argv[1], proxies={'http': sys.argv[2]}, timeout=20)\n    print('reached')\n"
            + "except requests.exceptions.RequestException as e:\n    print('refused', type(e).__name__)";

        var result = await Cli.PythonScript(script, null, $"{origin.Url}/", $"socks5h://nono:wrong@127.0.0.1:{proxy.Port}");

        Assert.StartsWith("refused", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task Python_urllib_through_a_chained_external_proxy_reaches_the_origin_via_that_proxy()
    {
        await using var origin = new OriginServer();
        await using var corporate = await Proxies.StartAsync();
        await using var proxy = await Proxies.StartAsync(Proxies.Loopback(c => c with
        {
            ExternalProxy = new ExternalProxyConfig { Address = $"127.0.0.1:{corporate.Port}", Username = "nono", Password = corporate.Token },
        }));
        const string script = "import sys, urllib.request\nprint(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())";

        var result = await Cli.PythonScript(script, proxy.EnvVars(), $"{origin.Url}/py-chained");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("origin saw: GET /py-chained", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(corporate.DrainAuditEvents(), e => e.Target == OriginServer.Host && e.Port == origin.Port);
        Assert.Contains(proxy.DrainAuditEvents(), e => e.Mode == AuditMode.External);
    }
}
