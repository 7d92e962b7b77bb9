using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Intercept;

/// <summary>
/// Response trailers inside an intercepted tunnel (gRPC puts its status there): node's http2 module is
/// both the HTTP/2 origin that sends trailers and the HTTP/2 client that goes through CONNECT and the
/// proxy's TLS interception and reads them.
/// </summary>
public sealed class ResponseTrailerTests
{
    private const string Script = """
        const fs = require("fs"), http2 = require("http2"), net = require("net"), tls = require("tls");
        const server = http2.createSecureServer({ key: fs.readFileSync(process.env.ORIGIN_KEY), cert: fs.readFileSync(process.env.ORIGIN_CERT) });
        server.on("stream", (stream, headers) => {
          const known = headers[":path"] === "/known-length";
          const body = "grpc-ish payload";
          stream.respond(Object.assign({ ":status": 200, "content-type": "application/grpc" }, known ? { "content-length": String(body.length) } : {}), { waitForTrailers: true });
          stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0", "grpc-message": "all fine" }));
          stream.end(body);
        });
        server.listen(0, "127.0.0.1", () => {
          const port = server.address().port;
          const authority = `origin.test:${port}`;
          const sock = net.connect(Number(process.env.PROXY_PORT), "127.0.0.1", () => {
            const auth = Buffer.from("nono:" + process.env.NONO_TOKEN).toString("base64");
            sock.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nProxy-Authorization: Basic ${auth}\r\n\r\n`);
          });
          let reply = "";
          const onData = (d) => {
            reply += d.toString("latin1");
            if (!reply.includes("\r\n\r\n")) return;
            sock.removeListener("data", onData);
            const secure = tls.connect({ socket: sock, servername: "origin.test", ALPNProtocols: ["h2"], ca: fs.readFileSync(process.env.SSL_CERT_FILE) });
            const client = http2.connect(`https://${authority}`, { createConnection: () => secure });
            const results = [];
            const get = (path, done) => {
              const req = client.request({ ":path": path });
              let data = "", trailers = null, status = 0;
              req.on("response", (h) => { status = h[":status"]; });
              req.on("trailers", (t) => { trailers = { status: t["grpc-status"], message: t["grpc-message"] }; });
              req.on("data", (c) => { data += c; });
              req.on("end", () => { results.push({ path, status, data, trailers }); done(); });
              req.end();
            };
            get("/streamed", () => get("/known-length", () => {
              console.log(JSON.stringify(results));
              process.exit(0);
            }));
          };
          sock.on("data", onData);
        });
        setTimeout(() => { console.log("timeout"); process.exit(1); }, 20000).unref();
        """;

    [Fact]
    public async Task Http2_response_trailers_reach_the_client_through_interception()
    {
        using var pki = new OriginPki();
        var dir = Directory.CreateTempSubdirectory("nono-trailers-").FullName;
        try
        {
            var key = Path.Combine(dir, "key.pem");
            var cert = Path.Combine(dir, "cert.pem");
            await File.WriteAllTextAsync(key, OriginPki.Leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(cert, OriginPki.Leaf.ExportCertificatePem(), TestContext.Current.CancellationToken);
            var config = Proxies.Loopback(c => c with
            {
                TlsIntercept = new TlsInterceptConfig { InterceptAll = true, ExtraUpstreamRoots = [pki.CaPemPath], SessionDirectoryRoot = dir },
            });
            await using var proxy = await Proxies.StartAsync(config);

            var run = await Cli.RunAsync("node", ["-e", Script], [.. proxy.EnvVars(), new("PROXY_PORT", proxy.Port.ToString()), new("NONO_TOKEN", proxy.Token), new("ORIGIN_KEY", key), new("ORIGIN_CERT", cert)]);

            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(run.Stdout);
            Assert.Equal(2, json.RootElement.GetArrayLength());
            foreach (var result in json.RootElement.EnumerateArray())
            {
                Assert.Equal(200, result.GetProperty("status").GetInt32());
                Assert.Equal("grpc-ish payload", result.GetProperty("data").GetString());
                var trailers = result.GetProperty("trailers");
                Assert.True(trailers.ValueKind == JsonValueKind.Object, run.Stdout);
                Assert.Equal("0", trailers.GetProperty("status").GetString());
                Assert.Equal("all fine", trailers.GetProperty("message").GetString());
            }

            Assert.Contains(proxy.DrainAuditEvents(), e => e is { Mode: AuditMode.Intercept, Status: 200, Path: "/streamed" });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
