using Nono.Proxy.Credentials;
using Nono.Proxy.Filter;

namespace Nono.Proxy.Routing;

/// <summary>A configured route with its loaded credential (or the reason it could not be loaded).</summary>
internal sealed class RouteState(RouteConfig config, Uri upstream, HttpMessageInvoker invoker, CredentialLoadResult? credential, Task<FilterDecision?> upstreamCheck) : IDisposable
{
    public RouteConfig Config { get; } = config;

    public string Prefix { get; } = config.Prefix;

    /// <summary>Upstream base URL; its path (without trailing slash) is prepended to forwarded paths.</summary>
    public Uri Upstream { get; } = upstream;

    public HttpMessageInvoker Invoker { get; } = invoker;

    public SecretBuffer? Secret => credential?.Secret;

    public string? SourceLabel => credential?.SourceLabel;

    public string? CredentialError => credential?.Error;

    public bool NeedsCredential => Config.CredentialKey is not null;

    public bool CredentialReady => !NeedsCredential || Secret is not null;

    public string UpstreamBasePath => Upstream.AbsolutePath.TrimEnd('/');

    /// <summary>
    /// Why the host filter refuses this route's upstream (a denied name or address, e.g. link-local), or
    /// null when it is allowed, could not be resolved, or was not checked within <paramref name="wait"/>.
    /// The check started when the route was loaded; requests are filtered again on every connection.
    /// </summary>
    public string? UpstreamRefusal(TimeSpan wait) =>
        upstreamCheck.Wait(wait) && upstreamCheck.Result is { Allowed: false, ResolutionFailed: false } refused ? refused.Reason : null;

    public void Dispose() => credential?.Secret?.Dispose();
}
