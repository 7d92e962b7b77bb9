using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Bench;

/// <summary>
/// Keep-alive requests/s with HttpClient inside CONNECT tunnels: <c>connections</c> handlers (one HTTP/2
/// connection each, HTTP/2 required), each with <c>streams</c> requests in flight back to back. With
/// version "1.1" the same client speaks HTTP/1.1 (one connection per request in flight), which separates
/// the client's own cost from the protocol's.
/// </summary>
internal static class H2Rps
{
    public static async Task<int> RunAsync(string proxy, string target, int connections, int streams, int seconds, string trustPems, string version)
    {
        var httpVersion = version == "1.1" ? HttpVersion.Version11 : HttpVersion.Version20;
        var via = new Uri(proxy);
        var user = Uri.UnescapeDataString(via.UserInfo).Split(':');
        var roots = new X509Certificate2Collection();
        foreach (var pem in trustPems.Split(','))
            roots.ImportFromPemFile(pem);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        var url = new Uri($"https://{target}/v1/x");

        long done = 0;
        var clients = Enumerable.Range(0, connections).Select(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://{via.Host}:{via.Port}") { Credentials = new NetworkCredential(user[0], user[1]) },
            PreAuthenticate = true,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
            MaxConnectionsPerServer = streams,
        })).ToArray();

        // One warm-up request per connection opens its tunnel before the clock starts.
        foreach (var client in clients)
            await SendAsync(client, url, user[1], httpVersion);

        var deadline = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var workers = clients.SelectMany(client => Enumerable.Range(0, streams).Select(_ => Task.Run(async () =>
        {
            while (deadline.Elapsed < duration)
            {
                await SendAsync(client, url, user[1], httpVersion);
                Interlocked.Increment(ref done);
            }
        }))).ToArray();
        await Task.WhenAll(workers);
        Console.WriteLine($"rps {Interlocked.Read(ref done) / deadline.Elapsed.TotalSeconds:F0}");
        foreach (var client in clients)
            client.Dispose();
        return 0;
    }

    private static async Task SendAsync(HttpMessageInvoker client, Uri url, string token, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request, CancellationToken.None);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new IOException($"unexpected response {(int)response.StatusCode}");
        await response.Content.CopyToAsync(Stream.Null);
    }
}
