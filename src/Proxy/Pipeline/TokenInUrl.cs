namespace Nono.Proxy.Pipeline;

/// <summary>
/// Refusal of a request whose target carries the session (phantom) token. Request headers holding it
/// are dropped on the way out, but a URL cannot be partly dropped, so the whole request is refused. The
/// audit event names the host and the reason only: the path or query would hold the token.
/// </summary>
internal static class TokenInUrl
{
    public const string Reason = "the request URL contains the session token; it is never sent upstream (send it in a header)";
}
