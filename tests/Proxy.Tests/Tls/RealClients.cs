using CliWrap;
using CliWrap.Buffered;

namespace Nono.Proxy.Tests.Tls;

/// <summary>Real HTTPS clients, each pointed at the trust bundle through its own environment variable only.</summary>
public enum HttpsClient
{
    CurlWithCurlCaBundle,
    CurlWithSslCertFile,
    PythonUrllib,
    PythonRequests,
    Node,
    Git,
}

internal sealed record ClientOutcome(HttpsClient Client, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The line of stderr with the reason: curl's "curl: (N) ..." line, else the last line (Python, Node, git).</summary>
    public string Reason
    {
        get
        {
            var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.StartsWith("curl: (", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "";
        }
    }

    public override string ToString() => $"{Client}: exit {ExitCode}; stdout: {Stdout.Trim()}; reason: {Reason}";
}

internal static class RealClients
{
    public const string SystemPython = "/usr/bin/python3";

    // Anything in the caller's environment that could point a client at other roots or at a proxy.
    private static readonly string[] Scrubbed =
    [
        "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO",
        "GIT_SSL_CAPATH", "NODE_OPTIONS", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
        "NO_PROXY", "no_proxy", "PYTHONPATH",
    ];

    private const string PythonResolve =
        "import socket, sys\n"
        + "real = socket.getaddrinfo\n"
        + "socket.getaddrinfo = lambda host, *a, **k: real('127.0.0.1' if host == sys.argv[2] else host, *a, **k)\n";

    private const string NodeScript =
        "const https = require('https');\n"
        + "const [url, name] = process.argv.slice(1);\n"
        + "const lookup = (host, opts, cb) => { const a = host === name ? '127.0.0.1' : host;"
        + " if (opts && opts.all) cb(null, [{ address: a, family: 4 }]); else cb(null, a, 4); };\n"
        + "https.get(url, { lookup, agent: false }, res => { let body = ''; res.on('data', d => body += d);"
        + " res.on('end', () => process.stdout.write(body)); })\n"
        + "  .on('error', e => { console.error(e.code + ': ' + e.message); process.exit(2); });\n";

    /// <summary>The variable each client is pointed at the bundle with.</summary>
    public static string TrustVariable(HttpsClient client) => client switch
    {
        HttpsClient.CurlWithCurlCaBundle => "CURL_CA_BUNDLE",
        HttpsClient.CurlWithSslCertFile or HttpsClient.PythonUrllib => "SSL_CERT_FILE",
        HttpsClient.PythonRequests => "REQUESTS_CA_BUNDLE",
        HttpsClient.Node => "NODE_EXTRA_CA_CERTS",
        HttpsClient.Git => "GIT_SSL_CAINFO",
        _ => throw new ArgumentOutOfRangeException(nameof(client)),
    };

    /// <summary>
    /// Fetches https://<paramref name="host"/>:<paramref name="port"/>/ (git: ls-remote of /repo.git), with
    /// <paramref name="host"/> resolved to 127.0.0.1 by the client's own mechanism. With a null
    /// <paramref name="bundlePath"/> the client uses its default (system) trust.
    /// </summary>
    public static async Task<ClientOutcome> RunAsync(HttpsClient client, string host, int port, string? bundlePath, string homeDirectory)
    {
        var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        var env = Scrubbed.ToDictionary(name => name, string? (_) => null);
        env["HOME"] = homeDirectory;
        if (bundlePath is not null)
        {
            env[TrustVariable(client)] = bundlePath;
        }

        var command = client switch
        {
            HttpsClient.CurlWithCurlCaBundle or HttpsClient.CurlWithSslCertFile => Cli.Wrap("curl").WithArguments(
                ["-sS", "--fail", "--max-time", "20", "--resolve", $"{host}:{port}:127.0.0.1", $"https://{authority}/hello"]),
            HttpsClient.PythonUrllib => Cli.Wrap(SystemPython).WithArguments(
                ["-c", PythonResolve + "import urllib.request\nprint(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())",
                    $"https://{authority}/hello", host]),
            HttpsClient.PythonRequests => Cli.Wrap(SystemPython).WithArguments(
                ["-c", PythonResolve + "import requests\nprint(requests.get(sys.argv[1], timeout=20).text)", $"https://{authority}/hello", host]),
            HttpsClient.Node => Cli.Wrap("node").WithArguments(["-e", NodeScript, $"https://{authority}/hello", host]),
            HttpsClient.Git => Cli.Wrap("git").WithArguments(
                ["-c", $"http.curloptResolve={host}:{port}:127.0.0.1", "ls-remote", $"https://{authority}/repo.git"]),
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };

        if (client == HttpsClient.Git)
        {
            env["GIT_TERMINAL_PROMPT"] = "0";
            env["GIT_CONFIG_NOSYSTEM"] = "1";
            env["GIT_CONFIG_GLOBAL"] = "/dev/null";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var result = await command
            .WithEnvironmentVariables(env)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
        return new ClientOutcome(client, result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>What a successful fetch prints.</summary>
    public static string ExpectedOutput(HttpsClient client) => client == HttpsClient.Git ? TestTlsServer.GitCommit : TestTlsServer.Greeting;
}
