using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>
/// Real clients sending <c>GET url</c> with <c>Authorization: Bearer $SVC_API_KEY</c> through the proxy,
/// configured only by the variables the proxy handle returns (proxy URL, trust bundle, phantom token).
/// Each prints "STATUS BODY".
/// </summary>
internal static class InterceptClients
{
    public const string TokenVariable = "SVC_API_KEY";

    private const string PythonUrllib = """
        import os, sys, urllib.request, urllib.error
        req = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + os.environ["SVC_API_KEY"]})
        try:
            r = urllib.request.urlopen(req, timeout=20)
            print(r.status, r.read().decode(), end="")
        except urllib.error.HTTPError as e:
            print(e.code, e.read().decode(), end="")
        """;

    private const string PythonRequests = """
        import os, sys, requests
        r = requests.get(sys.argv[1], headers={"Authorization": "Bearer " + os.environ["SVC_API_KEY"]}, timeout=20)
        print(r.status_code, r.text, end="")
        """;

    // Node 20 ignores HTTPS_PROXY, so the script opens the CONNECT tunnel itself from the variable's URL,
    // then speaks TLS inside it with Node's default trust (plus NODE_EXTRA_CA_CERTS).
    private const string Node = """
        const http = require('http'), https = require('https'), tls = require('tls');
        const t = new URL(process.argv[1]), p = new URL(process.env.HTTPS_PROXY);
        const auth = 'Basic ' + Buffer.from(decodeURIComponent(p.username) + ':' + decodeURIComponent(p.password)).toString('base64');
        const c = http.request({ host: p.hostname, port: p.port, method: 'CONNECT', path: t.hostname + ':' + t.port, headers: { 'Proxy-Authorization': auth } });
        c.on('connect', (res, socket) => {
          if (res.statusCode !== 200) { console.error('CONNECT ' + res.statusCode); process.exit(3); }
          const r = https.request({ host: t.hostname, port: t.port, path: t.pathname,
              headers: { Authorization: 'Bearer ' + process.env.SVC_API_KEY },
              createConnection: () => tls.connect({ socket, servername: t.hostname }) },
            res2 => { let b = ''; res2.on('data', d => b += d); res2.on('end', () => { process.stdout.write(res2.statusCode + ' ' + b); process.exit(0); }); });
          r.on('error', e => { console.error(e.code + ': ' + e.message); process.exit(2); });
          r.end();
        });
        c.on('error', e => { console.error(e.message); process.exit(4); });
        c.end();
        """;

    public static Task<CliResult> RunAsync(string client, string url, IEnumerable<KeyValuePair<string, string>> env) => client switch
    {
        "curl" => CurlAsync(url, env),
        "urllib" => Cli.RunAsync(Cli.Python, ["-c", PythonUrllib, url], env),
        "requests" => Cli.RunAsync(Cli.Python, ["-c", PythonRequests, url], env),
        "node" => Cli.RunAsync("node", ["-e", Node, url], env),
        _ => throw new ArgumentOutOfRangeException(nameof(client)),
    };

    private static async Task<CliResult> CurlAsync(string url, IEnumerable<KeyValuePair<string, string>> env)
    {
        var result = await Cli.RunAsync("curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}", "-H", "Authorization: Bearer " + Phantom(env), url], env);
        var cut = result.Stdout.LastIndexOf('\n');
        return cut < 0 ? result : result with { Stdout = result.Stdout[(cut + 1)..] + " " + result.Stdout[..cut] };
    }

    /// <summary><c>git ls-remote</c> of <paramref name="repoUrl"/>, sending the phantom token as an extra header.</summary>
    public static Task<CliResult> GitLsRemoteAsync(string repoUrl, IEnumerable<KeyValuePair<string, string>> env, string home) =>
        Cli.RunAsync("git", ["-c", "http.extraHeader=Authorization: Bearer " + Phantom(env), "ls-remote", repoUrl],
        [
            .. env,
            new("HOME", home), new("GIT_TERMINAL_PROMPT", "0"), new("GIT_CONFIG_NOSYSTEM", "1"), new("GIT_CONFIG_GLOBAL", "/dev/null"),
        ]);

    private static string Phantom(IEnumerable<KeyValuePair<string, string>> env) => env.Last(e => e.Key == TokenVariable).Value;
}
