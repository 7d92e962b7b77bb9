using System.Diagnostics;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>
/// A custom credential route to a private upstream that requires a client certificate (openssl CA,
/// python3 origin with CERT_REQUIRED): the proxy trusts the route's tls_ca and presents its
/// tls_client_cert; without them the upstream is unreachable; the client key, inside the granted
/// working directory, stays unreadable to the program.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunMutualTlsTests : IDisposable
{
    private const string OriginAddress = "127.0.0.6";
    private const string RealKey = "sk-mtls-real-4d2c8e";

    private readonly TempTree _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_route_presents_its_client_certificate_to_an_upstream_signed_by_its_own_ca()
    {
        var pki = await Pki.CreateAsync(_temp.Dir("work/pki"));
        using var origin = await Origin.StartAsync(pki);
        var profile = Profile(origin.Port, $"\"tls_ca\": \"{pki.Ca}\", \"tls_client_cert\": \"{pki.ClientCert}\", \"tls_client_key\": \"{pki.ClientKey}\"");

        var result = await RunAsync(profile, $"cat '{pki.ClientKey}' >/dev/null 2>&1 && echo KEY-READABLE; curl -sS --max-time 20 -H \"Authorization: Bearer $SVC_KEY\" \"$SVC_BASE_URL/hello\"");

        Assert.True(result.ExitCode == 0, result.ToString() + origin.Log);
        Assert.Contains("client=nono-route-client", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"auth=Bearer {RealKey}", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("KEY-READABLE", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Without_the_client_certificate_or_the_ca_the_upstream_is_not_reached(bool withCa, bool withClient)
    {
        var pki = await Pki.CreateAsync(_temp.Dir("work/pki"));
        using var origin = await Origin.StartAsync(pki);
        var tls = string.Join(", ", new[]
        {
            withCa ? $"\"tls_ca\": \"{pki.Ca}\"" : null,
            withClient ? $"\"tls_client_cert\": \"{pki.ClientCert}\", \"tls_client_key\": \"{pki.ClientKey}\"" : null,
        }.OfType<string>());
        var profile = Profile(origin.Port, tls);

        var result = await RunAsync(profile, "curl -s --max-time 20 -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $SVC_KEY\" \"$SVC_BASE_URL/hello\"");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("5", result.Stdout.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("served", origin.Log, StringComparison.Ordinal);
    }

    private string Profile(int port, string tls) => _temp.File("profile.json", $$"""
        {
          "extends": ["default"],
          "network": {
            "credentials": ["svc"],
            "custom_credentials": {
              "svc": { "upstream": "https://{{OriginAddress}}:{{port}}", "credential_key": "env://NONO_MTLS_KEY", "env_var": "SVC_KEY" {{(tls.Length > 0 ? ", " + tls : "")}} }
            }
          }
        }
        """);

    private Task<RunResult> RunAsync(string profile, string script) => Run.ProcessAsync(
        NonoBinary.Path,
        ["run", "--profile", profile, "--", "/bin/sh", "-c", script],
        new Dictionary<string, string?> { ["NONO_MTLS_KEY"] = RealKey },
        workingDirectory: _temp.Dir("work"));

    /// <summary>One CA that signs the origin's certificate (for 127.0.0.6) and the route's client certificate.</summary>
    private sealed record Pki(string Ca, string ServerCert, string ServerKey, string ClientCert, string ClientKey)
    {
        public static async Task<Pki> CreateAsync(string dir)
        {
            string P(string name) => Path.Join(dir, name);
            await File.WriteAllTextAsync(P("server.ext"), $"subjectAltName=IP:{OriginAddress}\nextendedKeyUsage=serverAuth\n");
            await File.WriteAllTextAsync(P("client.ext"), "extendedKeyUsage=clientAuth\n");
            string[][] steps =
            [
                ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", P("ca.key"), "-out", P("ca.pem"), "-days", "2", "-subj", "/CN=nono test private CA"],
                ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", P("server.key"), "-out", P("server.csr"), "-subj", "/CN=origin"],
                ["x509", "-req", "-in", P("server.csr"), "-CA", P("ca.pem"), "-CAkey", P("ca.key"), "-CAcreateserial", "-out", P("server.pem"), "-days", "2", "-extfile", P("server.ext")],
                ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", P("client.key"), "-out", P("client.csr"), "-subj", "/CN=nono-route-client"],
                ["x509", "-req", "-in", P("client.csr"), "-CA", P("ca.pem"), "-CAkey", P("ca.key"), "-CAcreateserial", "-out", P("client.pem"), "-days", "2", "-extfile", P("client.ext")],
            ];
            foreach (var step in steps)
            {
                var result = await Run.ProcessAsync("openssl", step);
                Assert.True(result.ExitCode == 0, result.ToString());
            }

            return new Pki(P("ca.pem"), P("server.pem"), P("server.key"), P("client.pem"), P("client.key"));
        }
    }

    /// <summary>A python3 HTTPS origin that requires a client certificate from the CA and echoes who called and with what.</summary>
    private sealed class Origin : IDisposable
    {
        private const string Script = """
            import http.server, ssl, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    cn = dict(x[0] for x in self.connection.getpeercert()["subject"])["commonName"]
                    body = f"client={cn} auth={self.headers.get('Authorization')}\n".encode()
                    self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
                    print("served", flush=True)
                def log_message(self, *args): pass
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(sys.argv[2], sys.argv[3])
            ctx.load_verify_locations(sys.argv[4])
            ctx.verify_mode = ssl.CERT_REQUIRED
            server = http.server.ThreadingHTTPServer((sys.argv[1], 0), H)
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """;

        private readonly Process _process;
        private readonly System.Text.StringBuilder _log = new();

        private Origin(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public static async Task<Origin> StartAsync(Pki pki)
        {
            var process = Process.Start(new ProcessStartInfo("python3")
            {
                ArgumentList = { "-c", Script, OriginAddress, pki.ServerCert, pki.ServerKey, pki.Ca },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var port = int.Parse((await process.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            var origin = new Origin(process, port);
            _ = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (origin._log)
                    {
                        origin._log.AppendLine(line);
                    }
                }
            });
            return origin;
        }

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
