namespace Nono.Proxy.Pipeline;

/// <summary>
/// Why the proxy answered a request itself instead of relaying an upstream response. Every refusal the
/// request pipeline makes is one of these, so the status code, the audit event and the response are all
/// made from the same value (see <see cref="Denial"/>).
/// </summary>
internal enum Refusal
{
    /// <summary>The request head broke the HTTP grammar or a framing rule (400).</summary>
    MalformedRequest,

    /// <summary>The request head did not arrive within the header timeout (408).</summary>
    HeadTimeout,

    /// <summary>The request line is over the limit (414).</summary>
    TargetTooLong,

    /// <summary>The header block is over the limit (431).</summary>
    HeadersTooLarge,

    /// <summary>A request form the proxy does not implement (501).</summary>
    NotImplemented,

    /// <summary>An HTTP version the proxy does not speak (505).</summary>
    VersionNotSupported,

    /// <summary>The request target is neither origin-form, absolute-form nor a CONNECT authority (400).</summary>
    UnsupportedTarget,

    /// <summary>An absolute-form target that does not parse, or carries user info (400).</summary>
    MalformedTarget,

    /// <summary>A CONNECT target that is not <c>host:port</c> (400).</summary>
    MalformedConnectTarget,

    /// <summary>CONNECT inside an intercepted tunnel (405).</summary>
    ConnectInsideTunnel,

    /// <summary>An HTTP/2 request naming another origin than its tunnel's (421).</summary>
    MisdirectedRequest,

    /// <summary>The session token is missing or wrong in <c>Proxy-Authorization</c> (407).</summary>
    ProxyAuthRequired,

    /// <summary>The host filter refused the host (allowlist, deny list, address class) (403).</summary>
    HostDenied,

    /// <summary>The host name could not be resolved, so its addresses could not be checked (502).</summary>
    HostUnresolvable,

    /// <summary>The URL carries the session token, which is never sent upstream (403).</summary>
    TokenInUrl,

    /// <summary>A path with a backslash, an encoded separator or a dot segment (400).</summary>
    MalformedPath,

    /// <summary>No route has the requested prefix (404).</summary>
    NoRoute,

    /// <summary>A path outside the route's upstream base path (403).</summary>
    PathOutsideRoute,

    /// <summary>The route's phantom token is missing or wrong (401).</summary>
    PhantomTokenMissing,

    /// <summary>The route's credential could not be loaded (503).</summary>
    CredentialUnavailable,

    /// <summary>The method and path match none of the route's endpoint rules (403).</summary>
    EndpointNotAllowed,

    /// <summary>The checked path cannot be sent upstream exactly as checked (400).</summary>
    PathNotForwardable,

    /// <summary>The upstream could not be reached (502).</summary>
    UpstreamUnreachable,

    /// <summary>Connecting or waiting for the upstream took too long (504).</summary>
    UpstreamTimeout,

    /// <summary>The TLS handshake with the upstream failed (502).</summary>
    UpstreamTls,

    /// <summary>The upstream closed the connection or failed before a response (502).</summary>
    UpstreamFailed,

    /// <summary>The upstream's response head is malformed, or an upgrade answer breaks the protocol (502).</summary>
    UpstreamMalformed,

    /// <summary>The external proxy asked for credentials it was not given or refused them (502).</summary>
    ExternalProxyAuth,

    /// <summary>A host's or route's request budget is spent (429, with Retry-After).</summary>
    RateLimited,
}

/// <summary>Status codes and connection handling of each <see cref="Refusal"/>.</summary>
internal static class Refusals
{
    public static int Status(Refusal reason) => reason switch
    {
        Refusal.HeadTimeout => 408,
        Refusal.TargetTooLong => 414,
        Refusal.HeadersTooLarge => 431,
        Refusal.NotImplemented => 501,
        Refusal.VersionNotSupported => 505,
        Refusal.ConnectInsideTunnel => 405,
        Refusal.MisdirectedRequest => 421,
        Refusal.ProxyAuthRequired => 407,
        Refusal.HostDenied or Refusal.TokenInUrl or Refusal.PathOutsideRoute or Refusal.EndpointNotAllowed => 403,
        Refusal.NoRoute => 404,
        Refusal.RateLimited => 429,
        Refusal.PhantomTokenMissing => 401,
        Refusal.CredentialUnavailable => 503,
        Refusal.UpstreamTimeout => 504,
        Refusal.HostUnresolvable or Refusal.UpstreamUnreachable or Refusal.UpstreamTls or Refusal.UpstreamFailed
            or Refusal.UpstreamMalformed or Refusal.ExternalProxyAuth => 502,
        _ => 400,
    };

    private static readonly Dictionary<Refusal, string> Codes = Enum.GetValues<Refusal>().ToDictionary(r => r, SnakeCase);

    /// <summary>The refusal's name in snake case (<c>host_denied</c>): the reason label of the metrics.</summary>
    public static string Code(Refusal reason) => Codes.GetValueOrDefault(reason, "other");

    private static string SnakeCase(Refusal reason)
    {
        var name = reason.ToString();
        var text = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
                text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>Refusals after which the connection cannot be trusted to be in step, so it is closed.</summary>
    public static bool ClosesConnection(Refusal reason) =>
        reason is Refusal.UnsupportedTarget or Refusal.ConnectInsideTunnel or Refusal.MalformedConnectTarget
            or Refusal.MalformedRequest or Refusal.HeadTimeout or Refusal.TargetTooLong or Refusal.HeadersTooLarge
            or Refusal.NotImplemented or Refusal.VersionNotSupported;

    /// <summary>The refusal for a parser rejection, by its status code.</summary>
    public static Refusal FromStatus(int status) => status switch
    {
        408 => Refusal.HeadTimeout,
        414 => Refusal.TargetTooLong,
        431 => Refusal.HeadersTooLarge,
        501 => Refusal.NotImplemented,
        505 => Refusal.VersionNotSupported,
        421 => Refusal.MisdirectedRequest,
        405 => Refusal.ConnectInsideTunnel,
        _ => Refusal.MalformedRequest,
    };
}
