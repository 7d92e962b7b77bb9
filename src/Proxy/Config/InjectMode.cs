namespace Nono.Proxy;

/// <summary>Where a route puts the real credential (and where it accepts the phantom token).</summary>
public enum InjectMode
{
    /// <summary>A request header, <see cref="RouteConfig.InjectHeader"/>, formatted with <see cref="RouteConfig.CredentialFormat"/>.</summary>
    Header,

    /// <summary>A segment of the URL path: <see cref="RouteConfig.PathPattern"/> rewritten to <see cref="RouteConfig.PathReplacement"/>.</summary>
    UrlPath,

    /// <summary>A query parameter, <see cref="RouteConfig.QueryParamName"/>.</summary>
    QueryParam,

    /// <summary>HTTP Basic authentication; the credential is <c>user:password</c>.</summary>
    BasicAuth,
}
