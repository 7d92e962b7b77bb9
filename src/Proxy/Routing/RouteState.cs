using Nono.Proxy.Credentials;

namespace Nono.Proxy.Routing;

/// <summary>A configured route with its loaded credential (or the reason it could not be loaded).</summary>
internal sealed class RouteState(RouteConfig config, Uri upstream, HttpMessageInvoker invoker, CredentialLoadResult? credential) : IDisposable
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

    public void Dispose() => credential?.Secret?.Dispose();
}
