using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Nono.Proxy.Tls;

/// <summary>
/// Terminates the client's TLS inside a CONNECT tunnel with a leaf minted for the CONNECT host. Call it
/// after the proxy has answered "200 Connection Established". It never falls back to passing bytes
/// through: a client that refuses the session CA gets no connection, and the caller gets a typed
/// failure to audit.
/// </summary>
internal sealed class TlsInterceptor
{
    private readonly SessionCertificateAuthority _ca;
    private readonly LeafCertificateCache _leaves;
    private readonly TlsInterceptOptions _options;

    public TlsInterceptor(SessionCertificateAuthority ca, LeafCertificateCache leaves, TlsInterceptOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(leaves);
        _ca = ca;
        _leaves = leaves;
        _options = options ?? new TlsInterceptOptions();
    }

    /// <summary>
    /// Performs the server handshake on <paramref name="client"/> and waits for the client's first bytes.
    /// On failure <paramref name="client"/> has been disposed. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async ValueTask<TlsInterceptResult> AcceptAsync(Stream client, string connectHost, int connectPort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var target = $"{Printable(connectHost)}:{connectPort}";
        if (!TlsHostName.TryParse(connectHost, out var host))
        {
            await client.DisposeAsync().ConfigureAwait(false);
            return TlsInterceptResult.Failed(TlsInterceptFailureKind.InvalidHost, $"{target}: not a name a certificate can be issued for");
        }

        if (!_ca.Permits(host))
        {
            await client.DisposeAsync().ConfigureAwait(false);
            return TlsInterceptResult.Failed(TlsInterceptFailureKind.NameNotPermitted, $"{target}: outside the session CA's name constraints");
        }

        LeafCertificate leaf;
        try
        {
            leaf = _leaves.GetOrMint(host);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var tls = new SslStream(client, leaveInnerStreamOpen: false);
        var handshake = new HandshakeState(host, leaf, _options.ApplicationProtocols);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(SelectOptions, handshake, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return handshake.RejectedSni is { } sni
                ? TlsInterceptResult.Failed(TlsInterceptFailureKind.SniMismatch, $"{target}: client asked for '{Printable(sni)}'")
                : Classify(ex, target, deadline.IsCancellationRequested, "during the handshake");
        }

        deadline.CancelAfter(_options.FirstRequestTimeout);
        var first = new byte[_options.FirstReadBufferSize];
        int read;
        try
        {
            read = await tls.ReadAsync(first, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Classify(ex, target, deadline.IsCancellationRequested, "after the handshake");
        }

        if (read == 0)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            return TlsInterceptResult.Failed(
                TlsInterceptFailureKind.ClientClosedConnection, $"{target}: client closed the connection after the handshake without sending a request");
        }

        return TlsInterceptResult.Success(tls, new ReplayStream(first.AsMemory(0, read), tls));
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectOptions(
        SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
    {
        var handshake = (HandshakeState)state!;

        // No SNI is normal for IP literals and old clients; the leaf for the CONNECT host is presented.
        if (!string.IsNullOrEmpty(hello.ServerName)
            && (!TlsHostName.TryParse(hello.ServerName, out var sni) || sni != handshake.Host))
        {
            handshake.RejectedSni = hello.ServerName;
            throw new AuthenticationException("The client's SNI does not match the CONNECT host.");
        }

        return ValueTask.FromResult(handshake.Leaf.CreateServerOptions(handshake.ApplicationProtocols));
    }

    /// <summary>
    /// Sorts a failed handshake by cause. The client's TLS alert is only visible in the message OpenSSL
    /// (Linux) puts in the inner exception ("... tlsv1 alert unknown ca"), so the text is inspected.
    /// </summary>
    internal static TlsInterceptResult Classify(Exception ex, string target, bool timedOut, string phase)
    {
        if (timedOut && ex is OperationCanceledException)
        {
            return TlsInterceptResult.Failed(TlsInterceptFailureKind.Timeout, $"{target}: client too slow {phase}");
        }

        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        var alert = messages.Select(AlertText).FirstOrDefault(a => a is not null);
        if (alert is not null)
        {
            var kind = IsCertificateAlert(alert) ? TlsInterceptFailureKind.ClientRejectedCertificate : TlsInterceptFailureKind.ProtocolError;
            return TlsInterceptResult.Failed(kind, $"{target}: client sent TLS alert '{alert}' {phase}");
        }

        if (IsConnectionClosed(ex))
        {
            return TlsInterceptResult.Failed(TlsInterceptFailureKind.ClientClosedConnection, $"{target}: client closed the connection {phase}");
        }

        return TlsInterceptResult.Failed(TlsInterceptFailureKind.ProtocolError, $"{target}: {messages[^1]} ({phase})");
    }

    // OpenSSL reports a received alert as "...:SSL routines::tlsv13 alert certificate required" or "sslv3 alert bad certificate".
    private static string? AlertText(string message)
    {
        var at = message.IndexOf(" alert ", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var start = message.LastIndexOf(':', at) + 1;
        return message[start..].Trim();
    }

    private static bool IsCertificateAlert(string alert) =>
        alert.Contains("unknown ca", StringComparison.OrdinalIgnoreCase)
        || alert.Contains("certificate", StringComparison.OrdinalIgnoreCase)
        || alert.Contains("access denied", StringComparison.OrdinalIgnoreCase);

    private static bool IsConnectionClosed(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }
                || e is EndOfStreamException
                || (e is IOException or AuthenticationException
                    && (e.Message.Contains("closed", StringComparison.OrdinalIgnoreCase)
                        || e.Message.Contains("EOF", StringComparison.Ordinal)
                        || e.Message.Contains("0 bytes", StringComparison.Ordinal))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Client-supplied text as it may appear in a log line: printable ASCII only, bounded.</summary>
    internal static string Printable(string text)
    {
        var bounded = text.Length > 255 ? text[..255] : text;
        return string.Create(bounded.Length, bounded, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });
    }

    private sealed class HandshakeState(TlsHostName host, LeafCertificate leaf, IReadOnlyList<SslApplicationProtocol> applicationProtocols)
    {
        public TlsHostName Host { get; } = host;

        public LeafCertificate Leaf { get; } = leaf;

        public IReadOnlyList<SslApplicationProtocol> ApplicationProtocols { get; } = applicationProtocols;

        public string? RejectedSni { get; set; }
    }
}
