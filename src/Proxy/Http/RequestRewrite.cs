namespace Nono.Proxy.Http;

/// <summary>How a route changes the headers of a request on its way upstream.</summary>
internal sealed class RequestRewrite
{
    public static readonly RequestRewrite None = new();

    /// <summary>Request headers (by name) not copied from the client, e.g. the one that carried the phantom token.</summary>
    public HashSet<string> Drop { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers added after the copied ones, e.g. the one carrying the real credential.</summary>
    public List<HeaderField> Add { get; } = [];
}
