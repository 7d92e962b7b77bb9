namespace Nono.Proxy;

/// <summary>TLS interception settings. Interception applies to CONNECTs to a route's upstream that
/// needs to see the request, or to every CONNECT when <see cref="InterceptAll"/> is set.</summary>
public sealed record TlsInterceptConfig
{
    /// <summary>Validity of the per-session CA in days (1 to 365).</summary>
    public int CaValidityDays { get; init; } = 1;

    public bool InterceptAll { get; init; }

    /// <summary>Offer HTTP/2 (ALPN <c>h2</c>, then <c>http/1.1</c>) to clients inside intercepted tunnels;
    /// false offers <c>http/1.1</c> only.</summary>
    public bool Http2 { get; init; } = true;

    /// <summary>Limit the session CA to the allowed domains with an X.509 name-constraints extension.</summary>
    public bool NameConstraints { get; init; } = true;

    /// <summary>Directory under which the 0700 session directory holding the trust bundle is created;
    /// null: <c>$XDG_RUNTIME_DIR</c>, else the temp directory.</summary>
    public string? SessionDirectoryRoot { get; init; }

    /// <summary>PEM files of extra roots trusted for every upstream (tests, private PKI).</summary>
    public IReadOnlyList<string> ExtraUpstreamRoots { get; init; } = [];
}
