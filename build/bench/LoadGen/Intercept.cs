using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nono.Proxy;

namespace Nono.Bench;

/// <summary>
/// TLS interception benchmark pieces: an HTTPS keep-alive origin, the nono proxy with a credential route
/// to it (so CONNECTs to localhost:PORT are intercepted while CONNECTs to 127.0.0.1:PORT stay plain
/// tunnels to the same origin), and a client measuring new-handshake and keep-alive request rates.
/// </summary>
internal static class Intercept
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"u8.ToArray();

    public static async Task<int> OriginAsync(int port, int seconds, string pemPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        var cert = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        await File.WriteAllTextAsync(pemPath + ".tmp", cert.ExportCertificatePem());
        File.Move(pemPath + ".tmp", pemPath);
        var context = SslStreamCertificateContext.Create(cert, null);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(4096);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token);
                _ = Task.Run(() => ServeAsync(socket, context));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    private static async Task ServeAsync(Socket socket, SslStreamCertificateContext context)
    {
        socket.NoDelay = true;
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            });
            var reader = new HeadReader(tls);
            while (await reader.ReadHeadAsync() is not null)
                await tls.WriteAsync(Response);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
        }
    }

    public static async Task<int> ProxyAsync(int port, int seconds, string originPem, int originPort)
    {
        if (Environment.GetEnvironmentVariable("BENCH_INLINE") == "1")
            ProxyServer.PreferInlineSocketCompletions();
        Environment.SetEnvironmentVariable("BENCH_KEY", "bench-real-credential");
        var config = new ProxyConfig
        {
            BindPort = port,
            MaxConnections = 0,
            Routes = [new RouteConfig { Prefix = "/bench", Upstream = $"https://localhost:{originPort}", CredentialKey = "env://BENCH_KEY" }],
            TlsIntercept = new TlsInterceptConfig { ExtraUpstreamRoots = [originPem] },
        };
        await using var proxy = await ProxyServer.StartAsync(config);
        Console.WriteLine($"token {proxy.Token}");
        Console.WriteLine($"bundle {proxy.InterceptCaPath}");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary>
    /// <paramref name="mode"/> "new": every request on a new CONNECT + TLS handshake; "keepalive": one tunnel
    /// per connection, requests back to back. Prints "rps N".
    /// </summary>
    public static async Task<int> ClientAsync(string proxy, string target, string mode, int connections, int seconds, string trustPems)
    {
        var via = new Uri(proxy);
        // A proxy URL without credentials (mitmproxy) gets no Proxy-Authorization; the origin ignores the bearer value then.
        var userInfo = Uri.UnescapeDataString(via.UserInfo);
        var proxyAuth = userInfo.Length > 0 ? $"Proxy-Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo))}\r\n" : "";
        var bearer = userInfo.Contains(':', StringComparison.Ordinal) ? userInfo[(userInfo.IndexOf(':', StringComparison.Ordinal) + 1)..] : "none";
        var roots = new X509Certificate2Collection();
        foreach (var pem in trustPems.Split(','))
            roots.ImportFromPemFile(pem);
        var host = target[..target.LastIndexOf(':')];
        var request = Encoding.ASCII.GetBytes($"GET /v1/x HTTP/1.1\r\nHost: {target}\r\nAuthorization: Bearer {bearer}\r\n\r\n");
        var connect = Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n{proxyAuth}\r\n");
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateChainPolicy = policy,
        };
        long done = 0;
        var deadline = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (deadline.Elapsed < duration)
            {
                var (tls, reader) = await OpenAsync(via, connect, options);
                await using (tls)
                {
                    do
                    {
                        await tls.WriteAsync(request);
                        var head = await reader.ReadHeadAsync() ?? throw new IOException("connection closed");
                        if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                            throw new IOException("unexpected response: " + head.Split('\r')[0]);
                        await reader.SkipBodyAsync(head);
                        Interlocked.Increment(ref done);
                    }
                    while (mode == "keepalive" && deadline.Elapsed < duration);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        Console.WriteLine($"rps {Interlocked.Read(ref done) / deadline.Elapsed.TotalSeconds:F0}");
        return 0;
    }

    private static async Task<(SslStream, HeadReader)> OpenAsync(Uri via, byte[] connect, SslClientAuthenticationOptions options)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(via.Host, via.Port);
        var stream = new NetworkStream(socket, ownsSocket: true);
        await stream.WriteAsync(connect);
        var plain = new HeadReader(stream);
        var answer = await plain.ReadHeadAsync();
        if (answer is null || !answer.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            throw new IOException("CONNECT refused: " + answer);
        var tls = new SslStream(stream);
        await tls.AuthenticateAsClientAsync(options);
        return (tls, new HeadReader(tls));
    }

    /// <summary>Reads response or request heads (and Content-Length bodies) from a stream, byte-buffered.</summary>
    private sealed class HeadReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16384];
        private int _start;
        private int _end;

        public async Task<string?> ReadHeadAsync()
        {
            while (true)
            {
                var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (at >= 0)
                {
                    var head = Encoding.Latin1.GetString(_buffer, _start, at + 4);
                    _start += at + 4;
                    return head;
                }

                if (!await FillAsync())
                    return null;
            }
        }

        public async Task SkipBodyAsync(string head)
        {
            var line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var left = line is null ? 0 : int.Parse(line["Content-Length:".Length..].Trim());
            while (left > 0)
            {
                if (_end == _start && !await FillAsync())
                    throw new IOException("body truncated");
                var take = Math.Min(left, _end - _start);
                _start += take;
                left -= take;
            }
        }

        private async Task<bool> FillAsync()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(_end));
            _end += n;
            return n > 0;
        }
    }
}
