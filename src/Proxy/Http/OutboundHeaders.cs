namespace Nono.Proxy.Http;

/// <summary>
/// The outbound header rule, the one function every upstream request's headers pass through: hop-by-hop
/// fields (and those the Connection header names) are not forwarded, nor Host, Content-Length and Expect
/// (the sender writes its own), nor the headers a route's rewrite drops; and a header whose value carries
/// the session token (in any letter case, percent- or base64-encoded) is never sent upstream (a client
/// may put its phantom token in more places than the route replaces it). The rewrite's added headers
/// (the real credential) follow the copied ones.
/// </summary>
internal static class OutboundHeaders
{
    /// <summary>Calls <paramref name="emit"/> for each header to send, in order.</summary>
    /// <param name="upgrade">
    /// A WebSocket upgrade: the client's Connection and Upgrade fields are hop-by-hop like any other, and
    /// the proxy asks its own hop for the upgrade with <c>Connection: Upgrade</c> and <c>Upgrade: websocket</c>.
    /// </param>
    public static void Copy<TState>(RequestHead head, RequestRewrite rewrite, SessionToken token, bool upgrade, TState state, Action<TState, string, string> emit)
    {
        var named = HopByHop.NamedByConnection(head.Headers);
        foreach (var (name, value) in head.Headers)
        {
            // The cheap name checks first: a header they drop (Proxy-Authorization, which always carries
            // the token) needs no scan of its value.
            if (HopByHop.IsHopByHop(name, named) || rewrite.Drop.Contains(name)
                || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
                continue;
            if (token.AppearsInHeader(value))
                continue;
            emit(state, name, value);
        }

        if (upgrade)
        {
            emit(state, "Connection", "Upgrade");
            emit(state, "Upgrade", "websocket");
        }

        foreach (var (name, value) in rewrite.Add)
            emit(state, name, value);
    }
}
