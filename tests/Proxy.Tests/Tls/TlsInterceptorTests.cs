using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class TlsInterceptorTests
{
    [Fact]
    public async Task Sni_naming_another_host_than_the_connect_target_is_refused()
    {
        using var pki = TestPki.Create();
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        var client = await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(pki, server.Port, "other.nono-test.example", trustSessionCa: true));
        var observation = await server.NextObservationAsync();

        Assert.True(client is AuthenticationException or IOException, client.ToString());
        Assert.Equal(TlsInterceptFailureKind.SniMismatch, observation.Failure?.Kind);
        Assert.Contains("other.nono-test.example", observation.Failure!.Detail, StringComparison.Ordinal);
        Assert.False(observation.Failure.RefusedByClient);
    }

    [Fact]
    public async Task Sni_differing_only_in_case_or_a_trailing_dot_is_the_same_host()
    {
        using var pki = TestPki.Create();
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, "API.nono-test.example.");

        await using var tls = await HandshakeAsync(pki, server.Port, TestPki.AllowedHost, trustSessionCa: true);
        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var observation = await server.NextObservationAsync();

        Assert.True(observation.Succeeded, observation.ToString());
    }

    [Fact]
    public async Task Client_pinning_another_key_gets_no_connection_and_the_refusal_is_typed()
    {
        using var pki = TestPki.Create();
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        // A pinning client: its validation rejects every certificate but the one it expects.
        await Assert.ThrowsAnyAsync<AuthenticationException>(() => HandshakeAsync(pki, server.Port, TestPki.AllowedHost, trustSessionCa: false));
        var observation = await server.NextObservationAsync();

        TestContext.Current.TestOutputHelper?.WriteLine(observation.Failure?.ToString() ?? "no failure");
        Assert.NotNull(observation.Failure);
        Assert.True(observation.Failure.RefusedByClient, observation.Failure.ToString());
        Assert.Equal("tls handshake refused by client", observation.Failure.AuditReason);
    }

    [Fact]
    public async Task Connect_target_outside_the_name_constraints_is_refused_before_any_handshake()
    {
        using var pki = TestPki.Create();
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, "api.elsewhere.example");

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(pki, server.Port, "api.elsewhere.example", trustSessionCa: true));
        var observation = await server.NextObservationAsync();

        Assert.Equal(TlsInterceptFailureKind.NameNotPermitted, observation.Failure?.Kind);
        Assert.Equal(0, pki.Leaves.MintCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*.nono-test.example")]
    [InlineData("bad host")]
    public async Task Connect_target_that_is_not_a_certificate_name_is_refused(string connectHost)
    {
        using var pki = TestPki.Create(nameConstraints: false);
        var (client, serverSide) = await ConnectedPairAsync();
        using var _ = client;

        var result = await pki.Interceptor.AcceptAsync(serverSide, connectHost, 443, TestContext.Current.CancellationToken);

        Assert.Equal(TlsInterceptFailureKind.InvalidHost, result.Failure?.Kind);
        Assert.Null(result.Stream);
        Assert.Throws<ObjectDisposedException>(() => serverSide.Write([1]));
    }

    [Fact]
    public async Task Client_supplied_names_reach_the_failure_detail_only_as_printable_text()
    {
        using var pki = TestPki.Create(nameConstraints: false);
        var (client, serverSide) = await ConnectedPairAsync();
        using var _ = client;

        var result = await pki.Interceptor.AcceptAsync(serverSide, "evil\r\nINJECTED: yes" + new string('a', 400), 443, TestContext.Current.CancellationToken);

        Assert.DoesNotContain('\n', result.Failure!.Detail);
        Assert.DoesNotContain('\r', result.Failure.Detail);
        Assert.True(result.Failure.Detail.Length < 400, result.Failure.Detail);
    }

    [Fact]
    public async Task Client_that_never_starts_the_handshake_times_out()
    {
        using var pki = TestPki.Create(options: new TlsInterceptOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        var (client, serverSide) = await ConnectedPairAsync();
        using var _ = client;

        var result = await pki.Interceptor.AcceptAsync(serverSide, TestPki.AllowedHost, 443, TestContext.Current.CancellationToken);

        Assert.Equal(TlsInterceptFailureKind.Timeout, result.Failure?.Kind);
        Assert.False(result.Failure!.RefusedByClient);
    }

    [Fact]
    public async Task Client_that_sends_no_request_after_the_handshake_times_out()
    {
        using var pki = TestPki.Create(options: new TlsInterceptOptions { FirstRequestTimeout = TimeSpan.FromMilliseconds(300) });
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        await using var tls = await HandshakeAsync(pki, server.Port, TestPki.AllowedHost, trustSessionCa: true);
        var observation = await server.NextObservationAsync();

        Assert.Equal(TlsInterceptFailureKind.Timeout, observation.Failure?.Kind);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws_instead_of_reporting_a_failure()
    {
        using var pki = TestPki.Create();
        var (client, serverSide) = await ConnectedPairAsync();
        using var _ = client;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await pki.Interceptor.AcceptAsync(serverSide, TestPki.AllowedHost, 443, cancel.Token));
    }

    [Theory]
    [InlineData(false, "http/1.1")]
    [InlineData(true, "h2")]
    public async Task Alpn_offers_http11_by_default_and_h2_when_configured(bool offerH2, string expected)
    {
        var protocols = offerH2 ? new[] { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 } : [SslApplicationProtocol.Http11];
        using var pki = TestPki.Create(options: new TlsInterceptOptions { ApplicationProtocols = protocols });
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        await using var tls = await HandshakeAsync(pki, server.Port, TestPki.AllowedHost, trustSessionCa: true,
            [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        await tls.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var observation = await server.NextObservationAsync();

        Assert.Equal(expected, tls.NegotiatedApplicationProtocol.ToString());
        Assert.Equal(expected, observation.Protocol.ToString());
    }

    [Fact]
    public async Task Decrypted_stream_replays_the_first_bytes_then_carries_the_rest_both_ways()
    {
        using var pki = TestPki.Create();
        var (client, serverSide) = await ConnectedPairAsync();
        var ct = TestContext.Current.CancellationToken;
        var accept = pki.Interceptor.AcceptAsync(serverSide, TestPki.AllowedHost, 443, ct).AsTask();
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(ClientOptions(TestPki.AllowedHost, trustSessionCa: true, pki), ct);
        await tls.WriteAsync("first"u8.ToArray(), ct);

        var result = await accept;
        await using var stream = result.Stream!;
        await tls.WriteAsync("second"u8.ToArray(), ct);
        var received = new StringBuilder();
        var buffer = new byte[3];
        while (received.Length < "firstsecond".Length)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer, ct)));
        }

        await stream.WriteAsync("reply"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
        var reply = new byte[5];
        await tls.ReadExactlyAsync(reply, ct);

        Assert.Equal("firstsecond", received.ToString());
        Assert.Equal("reply", Encoding.ASCII.GetString(reply));
        Assert.Equal(TestPki.AllowedHost, result.Tls!.TargetHostName);
    }

    [Fact]
    public async Task Leaf_is_minted_once_per_host_across_connections()
    {
        using var pki = TestPki.Create();
        await using var server = TestTlsServer.Intercepting(pki.Interceptor, TestPki.AllowedHost);

        for (var i = 0; i < 3; i++)
        {
            await using var tls = await HandshakeAsync(pki, server.Port, TestPki.AllowedHost, trustSessionCa: true);
            await tls.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            Assert.True((await server.NextObservationAsync()).Succeeded);
        }

        Assert.Equal(1, pki.Leaves.MintCount);
    }

    private static async Task<SslStream> HandshakeAsync(
        TestPki pki, int port, string sni, bool trustSessionCa, IReadOnlyList<SslApplicationProtocol>? alpn = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            var options = ClientOptions(sni, trustSessionCa, pki);
            options.ApplicationProtocols = [.. alpn ?? [SslApplicationProtocol.Http11]];
            await tls.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client trusting the session CA alone, or (pinning) nothing this proxy could present.</summary>
    private static SslClientAuthenticationOptions ClientOptions(string sni, bool trustSessionCa, TestPki pki)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        if (trustSessionCa)
        {
            options.CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
            {
                TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                CustomTrustStore = { pki.Ca.Certificate },
            };
        }
        else
        {
            options.RemoteCertificateValidationCallback = (_, _, _, _) => false;
        }

        return options;
    }

    private static async Task<(Socket Client, Stream Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!, TestContext.Current.CancellationToken);
        var server = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        return (client, new NetworkStream(server, ownsSocket: true));
    }
}
