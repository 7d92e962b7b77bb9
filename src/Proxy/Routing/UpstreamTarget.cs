using Nono.Proxy.Http;

namespace Nono.Proxy.Routing;

/// <summary>
/// The URI a route request is sent to. It is built without path or query canonicalisation, so what goes
/// on the wire is byte for byte the path that was checked against the route's prefix and endpoint rules:
/// <see cref="Uri"/>'s own rules (backslash to slash, dot-segment removal, re-escaping) cannot move a
/// request somewhere the checks never saw. Because nothing is canonicalised, nothing unsanitised may go
/// in: every piece must already pass the request-target byte rule (visible ASCII), whichever front end
/// it came from, or no URI is made.
/// </summary>
internal static class UpstreamTarget
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>
    /// <paramref name="upstream"/>'s scheme and authority, then <paramref name="basePath"/> + <paramref name="path"/>
    /// and the query. Null when the result would not carry exactly that path and query.
    /// </summary>
    public static Uri? TryCreate(Uri upstream, string basePath, string path, string? query)
    {
        var expectedPath = basePath + path;
        if (expectedPath.Length == 0)
            expectedPath = "/";
        // A fragment has no place in a request target; '?' in the path would split it differently upstream.
        if (!RequestTarget.IsVisibleAscii(expectedPath) || (query is not null && query.Length > 0 && !RequestTarget.IsVisibleAscii(query)))
            return null;
        if (!expectedPath.StartsWith('/') || expectedPath.AsSpan().IndexOfAny('?', '#') >= 0 || (query?.Contains('#', StringComparison.Ordinal) ?? false))
            return null;

        var text = upstream.GetLeftPart(UriPartial.Authority) + expectedPath + (query is null ? "" : "?" + query);
        if (!Uri.TryCreate(text, in Verbatim, out var target))
            return null;

        // A mismatch means some rule still rewrote the request; refusing it is the only safe answer.
        var expectedQuery = query is null ? "" : "?" + query;
        return target.AbsolutePath == expectedPath && target.Query == expectedQuery && target.Fragment.Length == 0 ? target : null;
    }
}
